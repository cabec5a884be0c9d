//! reviews: the reviews, `User.reviews` (by author), `Product.reviews` (of
//! a product) and `Review.author`, which provides the author's username.

use async_graphql::{ID, Object};

use crate::accounts::{self, Account};

struct Entry {
    id: &'static str,
    upc: &'static str,
    author: &'static str,
    body: &'static str,
}

// Long bodies on purpose: with the deep benchmark query each review is
// repeated in many places of the answer, which comes to about 88 KB.
static ENTRIES: [Entry; 15] = [
    Entry {
        id: "1",
        upc: "1",
        author: "1",
        body: "The desk arrived in two boxes and took about forty minutes to put together with the included hex key. The motor is quiet enough that I can raise it during a video call without anyone noticing, and the memory presets mean I no longer fiddle with the height every morning. At full height there is a slight wobble when I type hard, but a cable tray and a heavy monitor arm settled it. Worth the price for the back pain it saved me.",
    },
    Entry {
        id: "2",
        upc: "2",
        author: "1",
        body: "Warm light, a sturdy weighted base and an arm that stays exactly where you point it. The dimmer goes low enough for reading in bed next to someone who is asleep. My only complaint is the short cord, which forced me to buy an extension for the corner chair. Bulbs are standard, so replacements are easy to find.",
    },
    Entry {
        id: "3",
        upc: "1",
        author: "2",
        body: "Solid frame and a surface that does not scratch easily, which matters with two cats walking across it. The control panel once forgot its presets after a power cut, so I keep a note of my heights on a sticky label underneath. Customer support answered within a day and sent a replacement panel for free. Two years in, the motor still sounds new.",
    },
    Entry {
        id: "4",
        upc: "3",
        author: "2",
        body: "Thick, soft and the colours match the photos. It shed for the first two weeks, then stopped. Heavy enough that it never slides on the tiles. Vacuuming it takes a little patience.",
    },
    Entry {
        id: "5",
        upc: "1",
        author: "3",
        body: "I compared five standing desks before buying this one and it was the only model in my budget with a crossbar that does not hit your knees when sitting. The lifting speed is modest, about four seconds from sitting to standing, and it handles my two monitors and a laptop dock without complaint. The anti-collision sensor stopped the desk when it touched the window sill, which is reassuring with a toddler around. Assembly instructions were mostly pictures, but they were clear and every screw was labelled in its own bag.",
    },
    Entry {
        id: "6",
        upc: "4",
        author: "3",
        body: "Heats up in under a minute and pulls a decent shot once you find the right grind. The steam wand is weak for large jugs of milk, fine for a single cappuccino. The drip tray fills quickly, so empty it daily.",
    },
    Entry {
        id: "7",
        upc: "2",
        author: "4",
        body: "I bought two of these for the living room. The brass finish looks more expensive than it is, and the shade throws light down onto the page rather than into your eyes. The touch dimmer has three steps; I would have liked a smooth dial instead. After six months of nightly use both lamps still work perfectly and the joints have not loosened at all.",
    },
    Entry {
        id: "8",
        upc: "5",
        author: "4",
        body: "Boiled a litre of water in just over three minutes at a windy campsite. Folds down small enough to fit inside my cooking pot. The piezo igniter failed on day four, so pack matches.",
    },
    Entry {
        id: "9",
        upc: "2",
        author: "5",
        body: "Simple, well made and easy to assemble. The bulb included is a little cold in tone, so I swapped it for a warmer one and now it is perfect. The base is heavy enough that my dog knocked into it twice without tipping it over. Good value for the quality of the materials.",
    },
    Entry {
        id: "10",
        upc: "6",
        author: "5",
        body: "I carried this pack for a week along a coastal trail with roughly twelve kilos inside and my shoulders were fine at the end of every day. The hip belt does most of the work and its pockets are big enough for a phone and snacks. The back panel breathes well, although on the hottest afternoon my shirt was still soaked. The rain cover tucks into a zipped pocket at the bottom and went on in seconds when a storm rolled in. The side bottle pockets are hard to reach while walking, which is the one thing I would change. Otherwise it is the best pack I have owned.",
    },
    Entry {
        id: "11",
        upc: "1",
        author: "6",
        body: "Great desk, but check your ceiling lights before ordering the large top: it is wider than it looks on the product page. The height range suits someone tall like me, and the surface is easy to wipe clean. The cable tray is sold separately, which seems stingy at this price.",
    },
    Entry {
        id: "12",
        upc: "7",
        author: "6",
        body: "Five shelves that actually hold hardback books without sagging, which is more than my last two bookshelves managed. The back panel is thin board, so anchor the frame to the wall as the manual says. It took two people an hour to build and the finish hides fingerprints well.",
    },
    Entry {
        id: "13",
        upc: "8",
        author: "1",
        body: "Consistent grind from espresso to French press, and the burrs are easy to remove for cleaning. It is loud for about fifteen seconds each morning, which my housemates have accepted. The bean hopper holds roughly a week of coffee for one person. Static makes the grounds cling to the cup, so tap it before pouring.",
    },
    Entry {
        id: "14",
        upc: "9",
        author: "3",
        body: "We use these around a low table when friends visit and they have become the favourite seats in the house. The cover comes off and survived the washing machine twice without shrinking. The filling flattens a little after a few months, but a good shake brings it back. At this price I bought four in different colours and they look lovely together.",
    },
    Entry {
        id: "15",
        upc: "2",
        author: "2",
        body: "Bought this after my sister recommended it and I see why. It is bright enough for sewing, the arm reaches across the armchair, and the switch is on the base where you can find it in the dark. Packaging was excessive, though, with foam pieces everywhere. The cord is long enough to reach a socket behind the sofa.",
    },
];

fn reviews_where(keep: impl Fn(&Entry) -> bool) -> Vec<Review> {
    ENTRIES
        .iter()
        .filter(|entry| keep(entry))
        .map(Review)
        .collect()
}

pub struct Review(&'static Entry);

#[Object]
impl Review {
    async fn id(&self) -> ID {
        ID(self.0.id.to_owned())
    }

    async fn body(&self) -> &str {
        self.0.body
    }

    async fn product(&self) -> Product {
        Product {
            upc: self.0.upc.to_owned(),
        }
    }

    #[graphql(provides = "username")]
    async fn author(&self) -> Option<User> {
        accounts::account(self.0.author).map(User)
    }
}

/// A user as reviews knows them: with their username (this benchmark's
/// reviews service keeps its authors' usernames, so it can provide them;
/// in one process it reads accounts' rather than a copy that could drift)
/// and their reviews.
pub struct User(&'static Account);

#[Object]
impl User {
    async fn id(&self) -> ID {
        ID(self.0.id.to_owned())
    }

    // Provided on `Review.author`.
    #[graphql(external)]
    async fn username(&self) -> &str {
        self.0.username
    }

    async fn reviews(&self) -> Vec<Review> {
        reviews_where(|entry| entry.author == self.0.id)
    }
}

/// A product as reviews knows it: by UPC, with its reviews (none for a
/// product nobody reviewed).
pub struct Product {
    upc: String,
}

#[Object]
impl Product {
    async fn upc(&self) -> &str {
        &self.upc
    }

    async fn reviews(&self) -> Vec<Review> {
        reviews_where(|entry| entry.upc == self.upc)
    }
}

pub struct Query;

#[Object]
impl Query {
    #[graphql(entity)]
    async fn find_review_by_id(&self, id: ID) -> Option<Review> {
        ENTRIES
            .iter()
            .find(|entry| entry.id == id.as_str())
            .map(Review)
    }

    #[graphql(entity)]
    async fn find_user_by_id(&self, id: ID) -> Option<User> {
        accounts::account(&id).map(User)
    }

    #[graphql(entity)]
    async fn find_product_by_upc(&self, upc: String) -> Product {
        Product { upc }
    }
}
