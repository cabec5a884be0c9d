//! A demo-like catalog: Chinese and English names, a three-level category
//! tree, several brands, prices across the facet buckets.

use search::domain::ProductDocument;

pub const ELECTRONICS: &str = "c0000000-0000-7000-8000-000000000001";
pub const AUDIO: &str = "c0000000-0000-7000-8000-000000000002";
pub const HEADPHONES: &str = "c0000000-0000-7000-8000-000000000003";
pub const PHONES: &str = "c0000000-0000-7000-8000-000000000004";
pub const APPAREL: &str = "c0000000-0000-7000-8000-000000000005";
pub const SHOES: &str = "c0000000-0000-7000-8000-000000000006";
pub const SPORTS: &str = "c0000000-0000-7000-8000-000000000007";

struct Row {
    name: &'static str,
    description: &'static str,
    brand: &'static str,
    tags: &'static [&'static str],
    categories: &'static [&'static str],
    price: (i64, i64),
    in_stock: bool,
    sales: i64,
    status: &'static str,
}

const ROWS: &[Row] = &[
    Row {
        name: "华为 FreeBuds Pro 3 无线蓝牙耳机",
        description: "主动降噪，高解析音质，续航持久。",
        brand: "华为",
        tags: &["蓝牙", "降噪"],
        categories: &[ELECTRONICS, AUDIO, HEADPHONES],
        price: (99_900, 109_900),
        in_stock: true,
        sales: 500,
        status: "ACTIVE",
    },
    Row {
        name: "Sony WH-1000XM5 Wireless Noise Cancelling Headphones",
        description: "Industry-leading noise cancelling over-ear headphones with 30-hour battery.",
        brand: "Sony",
        tags: &["wireless", "noise cancelling"],
        categories: &[ELECTRONICS, AUDIO, HEADPHONES],
        price: (249_900, 249_900),
        in_stock: true,
        sales: 320,
        status: "ACTIVE",
    },
    Row {
        name: "小米 Redmi Buds 5 蓝牙耳机",
        description: "46dB 深度降噪，轻巧舒适。",
        brand: "小米",
        tags: &["蓝牙"],
        categories: &[ELECTRONICS, AUDIO, HEADPHONES],
        price: (19_900, 19_900),
        in_stock: true,
        sales: 1200,
        status: "ACTIVE",
    },
    Row {
        name: "Apple iPhone 15 Pro 手机",
        description: "钛金属设计，A17 Pro 芯片。Titanium design with the A17 Pro chip.",
        brand: "Apple",
        tags: &["5G"],
        categories: &[ELECTRONICS, PHONES],
        price: (799_900, 999_900),
        in_stock: true,
        sales: 900,
        status: "ACTIVE",
    },
    Row {
        name: "华为 Mate 60 Pro 智能手机",
        description: "卫星通话，超可靠玄武架构。",
        brand: "华为",
        tags: &["5G", "卫星"],
        categories: &[ELECTRONICS, PHONES],
        price: (649_900, 749_900),
        in_stock: false,
        sales: 800,
        status: "ACTIVE",
    },
    Row {
        name: "小米 14 Ultra 手机",
        description: "徕卡光学镜头，专业影像。",
        brand: "小米",
        tags: &["影像"],
        categories: &[ELECTRONICS, PHONES],
        price: (599_900, 649_900),
        in_stock: true,
        sales: 450,
        status: "ACTIVE",
    },
    Row {
        name: "Nike Air Zoom Pegasus Running Shoes",
        description: "Responsive cushioning for everyday runs. 缓震跑鞋。",
        brand: "Nike",
        tags: &["running", "跑鞋"],
        categories: &[APPAREL, SHOES],
        price: (89_900, 99_900),
        in_stock: true,
        sales: 700,
        status: "ACTIVE",
    },
    Row {
        name: "Adidas Ultraboost Running Shoe",
        description: "Energy return with every stride.",
        brand: "Adidas",
        tags: &["running"],
        categories: &[APPAREL, SHOES],
        price: (129_900, 139_900),
        in_stock: false,
        sales: 260,
        status: "ACTIVE",
    },
    Row {
        name: "李宁 超轻跑步鞋",
        description: "轻量透气，适合日常跑步训练。",
        brand: "李宁",
        tags: &["跑鞋"],
        categories: &[APPAREL, SHOES],
        price: (39_900, 45_900),
        in_stock: true,
        sales: 610,
        status: "ACTIVE",
    },
    Row {
        name: "Nike 篮球鞋 Basketball Shoes",
        description: "High-top support on the court.",
        brand: "Nike",
        tags: &["basketball"],
        categories: &[APPAREL, SHOES],
        price: (69_900, 69_900),
        in_stock: true,
        sales: 150,
        status: "ACTIVE",
    },
    Row {
        name: "Lululemon Yoga Mat 瑜伽垫",
        description: "Non-slip natural rubber mat, 5mm.",
        brand: "Lululemon",
        tags: &["yoga"],
        categories: &[SPORTS],
        price: (29_900, 29_900),
        in_stock: true,
        sales: 90,
        status: "ACTIVE",
    },
    Row {
        name: "Thermos Stainless Steel Water Bottle 保温杯",
        description: "Keeps drinks hot for 24 hours. 24小时保温。",
        brand: "Thermos",
        tags: &["bottle"],
        categories: &[SPORTS],
        price: (4_900, 12_900),
        in_stock: true,
        sales: 2000,
        status: "ACTIVE",
    },
    Row {
        name: "Sony Sports Running Headphones",
        description: "Sweat-proof earbuds for runners.",
        brand: "Sony",
        tags: &["running", "earbuds"],
        categories: &[ELECTRONICS, AUDIO, HEADPHONES],
        price: (59_900, 59_900),
        in_stock: true,
        sales: 75,
        status: "ACTIVE",
    },
    Row {
        name: "Unreleased Prototype Headphones 原型耳机",
        description: "Not for sale yet.",
        brand: "Sony",
        tags: &[],
        categories: &[ELECTRONICS, AUDIO, HEADPHONES],
        price: (1_000, 1_000),
        in_stock: true,
        sales: 0,
        status: "DRAFT",
    },
];

/// The product id of row `n`: UUID-shaped, ordered like the rows.
pub fn id(n: usize) -> String {
    format!("01900000-0000-7000-8000-{n:012}")
}

pub fn products() -> Vec<ProductDocument> {
    ROWS.iter()
        .enumerate()
        .map(|(n, row)| ProductDocument {
            id: id(n),
            name: row.name.into(),
            description: row.description.into(),
            brand: Some(row.brand.into()),
            tags: row.tags.iter().map(|t| (*t).to_owned()).collect(),
            hot: row.sales > 500,
            status: row.status.into(),
            category_id: row.categories.last().map(|c| (*c).to_owned()),
            category_ids: row.categories.iter().map(|c| (*c).to_owned()).collect(),
            min_price: row.price.0,
            max_price: row.price.1,
            in_stock: row.in_stock,
            sales_count: row.sales,
            created_at: 1_700_000_000_000 + (n as i64 * 5 % 14) * 86_400_000,
            updated_at: 1_700_000_000_000 + n as i64,
        })
        .collect()
}

/// The products a storefront may find.
pub fn searchable() -> Vec<ProductDocument> {
    products()
        .into_iter()
        .filter(|p| p.is_searchable())
        .collect()
}

/// `product` as the catalog would announce it on `product.changed`
/// (`contracts::product`): its category path without the category itself,
/// no brand or category as empty strings.
pub fn wire(product: &ProductDocument) -> contracts::product::ProductDocument {
    let category_id = product.category_id.clone().unwrap_or_default();
    contracts::product::ProductDocument {
        id: product.id.clone(),
        name: product.name.clone(),
        description: product.description.clone(),
        brand: product.brand.clone().unwrap_or_default(),
        tags: product.tags.clone(),
        hot: product.hot,
        status: product.status.clone(),
        ancestor_category_ids: product
            .category_ids
            .iter()
            .filter(|id| **id != category_id)
            .cloned()
            .collect(),
        category_id,
        min_price: product.min_price,
        max_price: product.max_price,
        currency: "CNY".into(),
        in_stock: product.in_stock,
        sales_count: product.sales_count,
        created_at: product.created_at,
        updated_at: product.updated_at,
    }
}
