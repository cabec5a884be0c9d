//! inventory: what is in stock, and shipping estimates from the price and
//! weight that products owns (`@requires`).

use async_graphql::{Error, Object, Result};

/// In stock, by UPC (the products the catalogue has).
static IN_STOCK: [(&str, bool); 9] = [
    ("1", true),
    ("2", true),
    ("3", false),
    ("4", true),
    ("5", false),
    ("6", true),
    ("7", true),
    ("8", false),
    ("9", true),
];

/// From this price on, shipping is free.
const FREE_SHIPPING_FROM: i32 = 1000;

pub struct Product {
    upc: String,
    in_stock: bool,
    /// Sent by the router in the representation, when `shippingEstimate`
    /// is asked for.
    price: Option<i32>,
    weight: Option<i32>,
}

#[Object]
impl Product {
    async fn upc(&self) -> &str {
        &self.upc
    }

    async fn in_stock(&self) -> bool {
        self.in_stock
    }

    #[graphql(external)]
    async fn price(&self) -> Result<i32> {
        self.price.ok_or_else(|| not_sent("price"))
    }

    #[graphql(external)]
    async fn weight(&self) -> Result<i32> {
        self.weight.ok_or_else(|| not_sent("weight"))
    }

    /// Free from a price of 1000 (`FREE_SHIPPING_FROM`), else 5 plus 1 per
    /// started kilogram.
    #[graphql(requires = "price weight")]
    async fn shipping_estimate(&self) -> Result<i32> {
        let price = self.price.ok_or_else(|| not_sent("price"))?;
        let weight = self.weight.ok_or_else(|| not_sent("weight"))?;
        Ok(if price >= FREE_SHIPPING_FROM {
            0
        } else {
            5 + (weight + 999) / 1000
        })
    }
}

/// An external field the representation did not carry: the router did not
/// send what `@requires` asks for (or asked inventory for products' field).
fn not_sent(field: &str) -> Error {
    Error::new(format!("{field} was not in the representation"))
}

pub struct Query;

#[Object]
impl Query {
    #[graphql(entity)]
    async fn find_product_by_upc(
        &self,
        #[graphql(key)] upc: String,
        price: Option<i32>,
        weight: Option<i32>,
    ) -> Option<Product> {
        let (_, in_stock) = IN_STOCK.iter().find(|(known, _)| *known == upc)?;
        Some(Product {
            upc,
            in_stock: *in_stock,
            price,
            weight,
        })
    }
}
