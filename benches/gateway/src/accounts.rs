//! accounts: the users, and `User` by `id` for the other subgraphs.

use async_graphql::{ID, Object};

pub(crate) struct Account {
    pub id: &'static str,
    pub name: &'static str,
    pub username: &'static str,
}

static ACCOUNTS: [Account; 6] = [
    Account {
        id: "1",
        name: "Maren Holt",
        username: "mholt",
    },
    Account {
        id: "2",
        name: "Tomas Varga",
        username: "tvarga",
    },
    Account {
        id: "3",
        name: "Ines Okafor",
        username: "iokafor",
    },
    Account {
        id: "4",
        name: "Rafael Duarte",
        username: "rduarte",
    },
    Account {
        id: "5",
        name: "Yuki Tanaka",
        username: "ytanaka",
    },
    Account {
        id: "6",
        name: "Leah Brennan",
        username: "lbrennan",
    },
];

pub(crate) fn account(id: &str) -> Option<&'static Account> {
    ACCOUNTS.iter().find(|account| account.id == id)
}

pub struct User(&'static Account);

#[Object]
impl User {
    async fn id(&self) -> ID {
        ID(self.0.id.to_owned())
    }

    async fn name(&self) -> &str {
        self.0.name
    }

    // Shareable: reviews provides it with the authors of its reviews.
    #[graphql(shareable)]
    async fn username(&self) -> &str {
        self.0.username
    }
}

pub struct Query;

#[Object]
impl Query {
    async fn users(&self) -> Vec<User> {
        ACCOUNTS.iter().map(User).collect()
    }

    #[graphql(entity)]
    async fn find_user_by_id(&self, id: ID) -> Option<User> {
        account(&id).map(User)
    }
}
