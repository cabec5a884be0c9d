//! The word lists the demo catalog is generated from.

/// A bottom-level category and what its products look like.
pub struct Leaf {
    pub zh: &'static str,
    pub en: &'static str,
    pub brands: &'static [&'static str],
    /// A typical price in fen.
    pub base_price: i64,
    pub options: &'static [&'static str],
}

pub struct Middle {
    pub zh: &'static str,
    pub en: &'static str,
    pub leaves: &'static [Leaf],
}

pub struct Top {
    pub zh: &'static str,
    pub en: &'static str,
    pub middles: &'static [Middle],
}

const COLORS: &[&str] = &["黑色 Black", "白色 White", "蓝色 Blue", "红色 Red"];
const SIZES: &[&str] = &["S", "M", "L", "XL"];
const CAPACITY: &[&str] = &["128GB", "256GB", "512GB", "1TB"];
const PACKS: &[&str] = &[
    "单件装 Single",
    "两件装 2-pack",
    "家庭装 Family pack",
    "礼盒装 Gift box",
];
const SHOE_SIZES: &[&str] = &["40", "41", "42", "43"];

pub const TREE: &[Top] = &[
    Top {
        zh: "数码",
        en: "Electronics",
        middles: &[
            Middle {
                zh: "手机通讯",
                en: "Phones",
                leaves: &[
                    Leaf {
                        zh: "手机",
                        en: "Smartphone",
                        brands: &["华为 Huawei", "小米 Xiaomi", "Apple", "OPPO"],
                        base_price: 399_900,
                        options: CAPACITY,
                    },
                    Leaf {
                        zh: "手机壳",
                        en: "Phone Case",
                        brands: &["倍思 Baseus", "Spigen"],
                        base_price: 4_900,
                        options: COLORS,
                    },
                ],
            },
            Middle {
                zh: "电脑办公",
                en: "Computers",
                leaves: &[
                    Leaf {
                        zh: "笔记本电脑",
                        en: "Laptop",
                        brands: &["联想 Lenovo", "Apple", "华硕 ASUS", "Dell"],
                        base_price: 599_900,
                        options: CAPACITY,
                    },
                    Leaf {
                        zh: "平板电脑",
                        en: "Tablet",
                        brands: &["Apple", "华为 Huawei", "小米 Xiaomi"],
                        base_price: 299_900,
                        options: CAPACITY,
                    },
                    Leaf {
                        zh: "显示器",
                        en: "Monitor",
                        brands: &["Dell", "LG", "三星 Samsung"],
                        base_price: 129_900,
                        options: &["24英寸 24-inch", "27英寸 27-inch", "32英寸 32-inch"],
                    },
                ],
            },
            Middle {
                zh: "影音",
                en: "Audio",
                leaves: &[
                    Leaf {
                        zh: "耳机",
                        en: "Headphones",
                        brands: &["Sony", "Bose", "漫步者 Edifier", "Apple"],
                        base_price: 89_900,
                        options: COLORS,
                    },
                    Leaf {
                        zh: "蓝牙音箱",
                        en: "Bluetooth Speaker",
                        brands: &["JBL", "Bose", "小米 Xiaomi"],
                        base_price: 39_900,
                        options: COLORS,
                    },
                ],
            },
        ],
    },
    Top {
        zh: "服饰鞋包",
        en: "Fashion",
        middles: &[
            Middle {
                zh: "男装",
                en: "Menswear",
                leaves: &[
                    Leaf {
                        zh: "T恤",
                        en: "T-Shirt",
                        brands: &["优衣库 Uniqlo", "李宁 Li-Ning"],
                        base_price: 9_900,
                        options: SIZES,
                    },
                    Leaf {
                        zh: "夹克",
                        en: "Jacket",
                        brands: &["波司登 Bosideng", "The North Face"],
                        base_price: 59_900,
                        options: SIZES,
                    },
                ],
            },
            Middle {
                zh: "女装",
                en: "Womenswear",
                leaves: &[
                    Leaf {
                        zh: "连衣裙",
                        en: "Dress",
                        brands: &["ZARA", "太平鸟 Peacebird"],
                        base_price: 29_900,
                        options: SIZES,
                    },
                    Leaf {
                        zh: "风衣",
                        en: "Trench Coat",
                        brands: &["Burberry", "ONLY"],
                        base_price: 89_900,
                        options: SIZES,
                    },
                ],
            },
            Middle {
                zh: "鞋靴",
                en: "Shoes",
                leaves: &[
                    Leaf {
                        zh: "跑步鞋",
                        en: "Running Shoes",
                        brands: &["Nike", "Adidas", "安踏 Anta", "李宁 Li-Ning"],
                        base_price: 69_900,
                        options: SHOE_SIZES,
                    },
                    Leaf {
                        zh: "运动鞋",
                        en: "Sneakers",
                        brands: &["Nike", "New Balance", "回力 Warrior"],
                        base_price: 49_900,
                        options: SHOE_SIZES,
                    },
                    Leaf {
                        zh: "靴子",
                        en: "Boots",
                        brands: &["Timberland", "Dr. Martens"],
                        base_price: 99_900,
                        options: SHOE_SIZES,
                    },
                ],
            },
        ],
    },
    Top {
        zh: "家居",
        en: "Home",
        middles: &[
            Middle {
                zh: "厨房",
                en: "Kitchen",
                leaves: &[
                    Leaf {
                        zh: "炒锅",
                        en: "Wok",
                        brands: &["苏泊尔 Supor", "WMF"],
                        base_price: 19_900,
                        options: &["28cm", "30cm", "32cm"],
                    },
                    Leaf {
                        zh: "电饭煲",
                        en: "Rice Cooker",
                        brands: &["美的 Midea", "象印 Zojirushi"],
                        base_price: 39_900,
                        options: &["3L", "4L", "5L"],
                    },
                ],
            },
            Middle {
                zh: "家具",
                en: "Furniture",
                leaves: &[
                    Leaf {
                        zh: "办公椅",
                        en: "Office Chair",
                        brands: &["宜家 IKEA", "Herman Miller"],
                        base_price: 129_900,
                        options: COLORS,
                    },
                    Leaf {
                        zh: "书桌",
                        en: "Desk",
                        brands: &["宜家 IKEA", "林氏木业 Linshi"],
                        base_price: 89_900,
                        options: &["120cm", "140cm", "160cm"],
                    },
                ],
            },
            Middle {
                zh: "家纺",
                en: "Bedding",
                leaves: &[
                    Leaf {
                        zh: "四件套",
                        en: "Bedding Set",
                        brands: &["罗莱 Luolai", "水星 Mercury"],
                        base_price: 49_900,
                        options: &["1.5m", "1.8m", "2.0m"],
                    },
                    Leaf {
                        zh: "毛巾",
                        en: "Towel",
                        brands: &["洁丽雅 Grace", "MUJI"],
                        base_price: 2_900,
                        options: PACKS,
                    },
                    Leaf {
                        zh: "枕头",
                        en: "Pillow",
                        brands: &["MUJI", "水星 Mercury"],
                        base_price: 9_900,
                        options: PACKS,
                    },
                ],
            },
        ],
    },
    Top {
        zh: "运动户外",
        en: "Sports & Outdoors",
        middles: &[
            Middle {
                zh: "健身",
                en: "Fitness",
                leaves: &[
                    Leaf {
                        zh: "瑜伽垫",
                        en: "Yoga Mat",
                        brands: &["Keep", "Lululemon"],
                        base_price: 12_900,
                        options: COLORS,
                    },
                    Leaf {
                        zh: "哑铃",
                        en: "Dumbbells",
                        brands: &["Keep", "迪卡侬 Decathlon"],
                        base_price: 19_900,
                        options: &["5kg", "10kg", "20kg"],
                    },
                ],
            },
            Middle {
                zh: "户外",
                en: "Outdoor",
                leaves: &[
                    Leaf {
                        zh: "帐篷",
                        en: "Tent",
                        brands: &["牧高笛 Mobi Garden", "迪卡侬 Decathlon"],
                        base_price: 59_900,
                        options: &["双人 2-person", "四人 4-person"],
                    },
                    Leaf {
                        zh: "登山包",
                        en: "Hiking Backpack",
                        brands: &["Osprey", "探路者 Toread"],
                        base_price: 49_900,
                        options: &["30L", "45L", "60L"],
                    },
                ],
            },
            Middle {
                zh: "骑行",
                en: "Cycling",
                leaves: &[
                    Leaf {
                        zh: "自行车",
                        en: "Bicycle",
                        brands: &["捷安特 Giant", "美利达 Merida"],
                        base_price: 299_900,
                        options: SIZES,
                    },
                    Leaf {
                        zh: "骑行头盔",
                        en: "Cycling Helmet",
                        brands: &["Giro", "捷安特 Giant"],
                        base_price: 29_900,
                        options: SIZES,
                    },
                ],
            },
        ],
    },
    Top {
        zh: "食品",
        en: "Food",
        middles: &[
            Middle {
                zh: "休闲零食",
                en: "Snacks",
                leaves: &[
                    Leaf {
                        zh: "坚果",
                        en: "Mixed Nuts",
                        brands: &["三只松鼠 Three Squirrels", "良品铺子 Bestore"],
                        base_price: 5_900,
                        options: PACKS,
                    },
                    Leaf {
                        zh: "饼干",
                        en: "Biscuits",
                        brands: &["奥利奥 Oreo", "嘉士利 Jiashili"],
                        base_price: 1_900,
                        options: PACKS,
                    },
                ],
            },
            Middle {
                zh: "茶饮",
                en: "Drinks",
                leaves: &[
                    Leaf {
                        zh: "茶叶",
                        en: "Tea",
                        brands: &["西湖 Xihu", "大益 Dayi"],
                        base_price: 29_900,
                        options: &["100g", "250g", "500g"],
                    },
                    Leaf {
                        zh: "咖啡",
                        en: "Coffee",
                        brands: &["星巴克 Starbucks", "三顿半 Saturnbird"],
                        base_price: 9_900,
                        options: PACKS,
                    },
                ],
            },
            Middle {
                zh: "生鲜",
                en: "Fresh",
                leaves: &[
                    Leaf {
                        zh: "水果",
                        en: "Fruit",
                        brands: &["佳沛 Zespri", "都乐 Dole"],
                        base_price: 6_900,
                        options: &["1kg", "2.5kg", "5kg"],
                    },
                    Leaf {
                        zh: "海鲜",
                        en: "Seafood",
                        brands: &["獐子岛 Zhangzidao", "盒马 Hema"],
                        base_price: 15_900,
                        options: &["500g", "1kg"],
                    },
                ],
            },
        ],
    },
];

pub const ADJECTIVES: &[(&str, &str)] = &[
    ("轻薄", "Ultra-light"),
    ("经典", "Classic"),
    ("专业", "Pro"),
    ("旗舰", "Flagship"),
    ("智能", "Smart"),
    ("舒适", "Comfort"),
    ("限量", "Limited"),
    ("新款", "New"),
];
