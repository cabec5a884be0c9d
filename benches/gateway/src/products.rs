//! products: the catalogue (name, price, weight) and `topProducts`.

use async_graphql::Object;

struct Item {
    upc: &'static str,
    name: &'static str,
    /// In whole currency units.
    price: i32,
    /// In grams.
    weight: i32,
}

static CATALOGUE: [Item; 9] = [
    Item {
        upc: "1",
        name: "Standing Desk",
        price: 649,
        weight: 28000,
    },
    Item {
        upc: "2",
        name: "Reading Lamp",
        price: 89,
        weight: 1400,
    },
    Item {
        upc: "3",
        name: "Wool Rug",
        price: 1299,
        weight: 9000,
    },
    Item {
        upc: "4",
        name: "Espresso Machine",
        price: 549,
        weight: 6200,
    },
    Item {
        upc: "5",
        name: "Camping Stove",
        price: 119,
        weight: 310,
    },
    Item {
        upc: "6",
        name: "Hiking Backpack",
        price: 179,
        weight: 1500,
    },
    Item {
        upc: "7",
        name: "Bookshelf",
        price: 329,
        weight: 21000,
    },
    Item {
        upc: "8",
        name: "Coffee Grinder",
        price: 139,
        weight: 2400,
    },
    Item {
        upc: "9",
        name: "Floor Cushion",
        price: 59,
        weight: 800,
    },
];

pub struct Product(&'static Item);

#[Object]
impl Product {
    async fn upc(&self) -> &str {
        self.0.upc
    }

    async fn name(&self) -> &str {
        self.0.name
    }

    async fn price(&self) -> i32 {
        self.0.price
    }

    async fn weight(&self) -> i32 {
        self.0.weight
    }
}

pub struct Query;

#[Object]
impl Query {
    /// The first `first` products of the catalogue.
    async fn top_products(&self, #[graphql(default = 5)] first: usize) -> Vec<Product> {
        CATALOGUE.iter().take(first).map(Product).collect()
    }

    #[graphql(entity)]
    async fn find_product_by_upc(&self, upc: String) -> Option<Product> {
        CATALOGUE.iter().find(|item| item.upc == upc).map(Product)
    }
}
