//! The address book and its one-default rule.

use serde_json::{Value, json};

use crate::helpers::{TestApp, all_engines, codes, error_codes, spawn_app};

const ADD: &str = "mutation($input: AddressInput!) { addAddress(input: $input) \
    { address { id isDefault city country line2 } errors { code field } } }";
const UPDATE: &str = "mutation($id: ID!, $input: UpdateAddressInput!) { updateAddress(id: $id, input: $input) \
    { address { id city line2 isDefault } errors { code field } } }";
const REMOVE: &str = "mutation($id: ID!) { removeAddress(id: $id) \
    { removedId user { addresses { id isDefault } } errors { code } } }";
const SET_DEFAULT: &str = "mutation($id: ID!) { setDefaultAddress(id: $id) \
    { address { id isDefault } errors { code } } }";

fn address(city: &str) -> Value {
    json!({ "recipient": "Li Lei", "line1": "1 Nanjing Road", "city": city, "country": "cn",
            "postalCode": "200000", "phone": "+86 21 1234 5678" })
}

async fn add(app: &TestApp, token: &str, input: Value) -> Value {
    app.gql(ADD, json!({ "input": input }), Some(token)).await["data"]["addAddress"].clone()
}

/// The address book as `(id, isDefault)` pairs, checking the rule on the way.
async fn book(app: &TestApp, token: &str) -> Vec<(String, bool)> {
    let me = app.me(token).await;
    let book: Vec<(String, bool)> = me["data"]["me"]["addresses"]
        .as_array()
        .unwrap_or_else(|| panic!("no address book in {me}"))
        .iter()
        .map(|a| {
            (
                a["id"].as_str().unwrap().to_owned(),
                a["isDefault"].as_bool().unwrap(),
            )
        })
        .collect();
    if !book.is_empty() {
        assert_eq!(
            book.iter().filter(|(_, d)| *d).count(),
            1,
            "exactly one default: {me}"
        );
    }
    book
}

fn default_of(book: &[(String, bool)]) -> &str {
    &book.iter().find(|(_, d)| *d).expect("a default").0
}

#[tokio::test]
async fn the_address_book_keeps_exactly_one_default() {
    for engine in all_engines() {
        let app = spawn_app(engine).await;
        let (_, me) = app.new_customer("lei").await;
        let token = me.access.as_str();

        let a = add(&app, token, address("上海")).await;
        assert_eq!(a["errors"], json!([]), "{engine}: {a}");
        assert_eq!(
            a["address"]["isDefault"], true,
            "the first address is the default"
        );
        assert_eq!(a["address"]["country"], "CN");
        let a = a["address"]["id"].as_str().unwrap().to_owned();
        let b = add(&app, token, address("北京")).await["address"]["id"]
            .as_str()
            .unwrap()
            .to_owned();
        assert_eq!(default_of(&book(&app, token).await), a, "{engine}");

        let mut c_input = address("深圳");
        c_input["makeDefault"] = json!(true);
        let c = add(&app, token, c_input).await["address"]["id"]
            .as_str()
            .unwrap()
            .to_owned();
        assert_eq!(default_of(&book(&app, token).await), c, "{engine}");

        let set = app.gql(SET_DEFAULT, json!({ "id": b }), Some(token)).await;
        assert_eq!(
            set["data"]["setDefaultAddress"]["address"]["isDefault"],
            true
        );
        assert_eq!(default_of(&book(&app, token).await), b, "{engine}");

        let updated = app
            .gql(
                UPDATE,
                json!({ "id": a, "input": { "city": "杭州", "line2": "Room 5" } }),
                Some(token),
            )
            .await;
        let updated = &updated["data"]["updateAddress"];
        assert_eq!(updated["address"]["city"], "杭州", "{engine}: {updated}");
        assert_eq!(updated["address"]["line2"], "Room 5");
        assert_eq!(updated["address"]["isDefault"], false);

        // Removing the default promotes the oldest remaining address.
        let removed = app.gql(REMOVE, json!({ "id": b }), Some(token)).await;
        assert_eq!(
            removed["data"]["removeAddress"]["removedId"],
            b.as_str(),
            "{engine}: {removed}"
        );
        let after = book(&app, token).await;
        assert_eq!(after.len(), 2);
        assert_eq!(default_of(&after), a, "{engine}");

        // Removing a non-default leaves the default alone; the last one goes cleanly.
        app.gql(REMOVE, json!({ "id": c }), Some(token)).await;
        assert_eq!(default_of(&book(&app, token).await), a);
        app.gql(REMOVE, json!({ "id": a }), Some(token)).await;
        assert!(book(&app, token).await.is_empty(), "{engine}");
    }
}

#[tokio::test]
async fn bad_or_foreign_address_changes_get_typed_errors_and_write_nothing() {
    for engine in all_engines() {
        let app = spawn_app(engine).await;
        let (_, owner) = app.new_customer("owner").await;
        let (_, other) = app.new_customer("other").await;
        let id = add(&app, &owner.access, address("上海")).await["address"]["id"]
            .as_str()
            .unwrap()
            .to_owned();

        let mut too_long = address("上海");
        too_long["line1"] = json!("x".repeat(201));
        assert_eq!(
            codes(&add(&app, &owner.access, too_long).await),
            ["TOO_LONG"],
            "{engine}"
        );
        let mut bad_country = address("上海");
        bad_country["country"] = json!("China");
        assert_eq!(
            codes(&add(&app, &owner.access, bad_country).await),
            ["TOO_LONG"]
        );
        let mut blank = address("上海");
        blank["recipient"] = json!("  ");
        let blank = add(&app, &owner.access, blank).await;
        assert_eq!(codes(&blank), ["REQUIRED"]);
        assert_eq!(blank["errors"][0]["field"], "recipient");
        let bad_update = app
            .gql(
                UPDATE,
                json!({ "id": id, "input": { "city": "" } }),
                Some(&owner.access),
            )
            .await;
        assert_eq!(
            codes(&bad_update["data"]["updateAddress"]),
            ["REQUIRED"],
            "{engine}"
        );

        // Another user's address does not exist for them.
        for (query, field) in [
            (REMOVE, "removeAddress"),
            (SET_DEFAULT, "setDefaultAddress"),
        ] {
            let foreign = app
                .gql(query, json!({ "id": id }), Some(&other.access))
                .await;
            assert_eq!(
                codes(&foreign["data"][field]),
                ["NOT_FOUND"],
                "{engine}: {foreign}"
            );
            let unknown = app
                .gql(
                    query,
                    json!({ "id": "no-such-address" }),
                    Some(&owner.access),
                )
                .await;
            assert_eq!(codes(&unknown["data"][field]), ["NOT_FOUND"], "{engine}");
        }
        let foreign = app
            .gql(
                UPDATE,
                json!({ "id": id, "input": { "city": "x" } }),
                Some(&other.access),
            )
            .await;
        assert_eq!(codes(&foreign["data"]["updateAddress"]), ["NOT_FOUND"]);

        let me = app.me(&owner.access).await;
        let book = &me["data"]["me"]["addresses"];
        assert_eq!(book.as_array().map(Vec::len), Some(1), "{engine}: {me}");
        assert_eq!(book[0]["city"], "上海");
        assert_eq!(book[0]["isDefault"], true);

        let anonymous = app
            .gql(ADD, json!({ "input": address("上海") }), None)
            .await;
        assert_eq!(error_codes(&anonymous), ["UNAUTHENTICATED"]);
    }
}

#[tokio::test]
async fn concurrent_changes_keep_exactly_one_default() {
    for engine in all_engines() {
        let app = spawn_app(engine).await;
        let (_, me) = app.new_customer("busy").await;
        let adds = (0..8).map(|i| {
            let mut input = address(&format!("City {i}"));
            input["makeDefault"] = json!(i % 2 == 0);
            add(&app, &me.access, input)
        });
        for added in futures::future::join_all(adds).await {
            assert_eq!(added["errors"], json!([]), "{engine}: {added}");
        }
        let ids: Vec<String> = book(&app, &me.access)
            .await
            .into_iter()
            .map(|(id, _)| id)
            .collect();
        assert_eq!(ids.len(), 8, "{engine}");
        let sets = ids
            .iter()
            .map(|id| app.gql(SET_DEFAULT, json!({ "id": id }), Some(&me.access)));
        futures::future::join_all(sets).await;
        assert_eq!(book(&app, &me.access).await.len(), 8, "{engine}");
    }
}
