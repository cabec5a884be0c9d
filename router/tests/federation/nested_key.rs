//! An entity whose `@key` has a nested selection
//! (`@key(fields: "id organization { id }")`): the router must select the
//! nested key from the owning subgraph and send it, as a nested object, in
//! the `_entities` representations to the subgraph that extends the entity.
//! The two members share an `id` and differ only by organization, so a
//! representation that lost the nested part would resolve the wrong badge.

use async_graphql::{
    EmptyMutation, EmptySubscription, ID, InputObject, Object, SDLExportOptions, Schema,
    SimpleObject,
};
use router::{
    RouterConfig,
    compose::{SubgraphDefinition, compose},
};
use serde_json::json;

use crate::helpers::{TestRouter, TestSubgraph, spawn_subgraph};

#[derive(SimpleObject, Clone)]
#[graphql(shareable)]
struct Organization {
    id: ID,
}

/// `Member` as the members subgraph owns it.
#[derive(SimpleObject, Clone)]
#[graphql(name = "Member")]
struct OwnedMember {
    id: ID,
    organization: Organization,
    name: String,
}

fn roster() -> Vec<OwnedMember> {
    [("m1", "o1", "Ada"), ("m1", "o2", "Alan")]
        .into_iter()
        .map(|(id, org, name)| OwnedMember {
            id: ID(id.into()),
            organization: Organization { id: ID(org.into()) },
            name: name.into(),
        })
        .collect()
}

/// The nested part of the key, as `_entities` representations carry it.
#[derive(InputObject)]
struct OrganizationKey {
    id: ID,
}

struct MembersQuery;

#[Object(name = "Query")]
impl MembersQuery {
    async fn members(&self) -> Vec<OwnedMember> {
        roster()
    }

    #[graphql(entity)]
    async fn find_member(&self, id: ID, organization: OrganizationKey) -> Option<OwnedMember> {
        roster()
            .into_iter()
            .find(|m| m.id == id && m.organization.id == organization.id)
    }
}

/// `Member` as the badges subgraph extends it.
#[derive(SimpleObject, Clone)]
#[graphql(name = "Member")]
struct BadgedMember {
    id: ID,
    organization: Organization,
    badge: String,
}

struct BadgesQuery;

#[Object(name = "Query")]
impl BadgesQuery {
    #[graphql(entity)]
    async fn find_member(&self, id: ID, organization: OrganizationKey) -> BadgedMember {
        // Derived from both key parts so the test sees which ones arrived.
        let badge = format!("{}/{}", organization.id.as_str(), id.as_str());
        BadgedMember {
            id,
            organization: Organization {
                id: organization.id,
            },
            badge,
        }
    }
}

fn members_schema() -> Schema<MembersQuery, EmptyMutation, EmptySubscription> {
    Schema::build(MembersQuery, EmptyMutation, EmptySubscription)
        .enable_federation()
        .finish()
}

fn badges_schema() -> Schema<BadgesQuery, EmptyMutation, EmptySubscription> {
    Schema::build(BadgesQuery, EmptyMutation, EmptySubscription)
        .enable_federation()
        .finish()
}

fn sdl_of<Q: async_graphql::ObjectType + 'static>(
    schema: &Schema<Q, EmptyMutation, EmptySubscription>,
) -> String {
    schema.sdl_with_options(SDLExportOptions::new().federation().compose_directive())
}

async fn setup() -> (TestSubgraph, TestSubgraph, TestRouter) {
    let members = spawn_subgraph(members_schema()).await;
    let badges = spawn_subgraph(badges_schema()).await;
    let definitions = [
        SubgraphDefinition::new("members", members.url.clone(), sdl_of(&members_schema())),
        SubgraphDefinition::new("badges", badges.url.clone(), sdl_of(&badges_schema())),
    ];
    let supergraph = compose(&definitions)
        .unwrap_or_else(|errors| panic!("the nested-key subgraphs compose: {errors:?}"))
        .into_sdl();
    let urls = [
        ("members".to_owned(), members.url.clone()),
        ("badges".to_owned(), badges.url.clone()),
    ]
    .into();
    let router = TestRouter::spawn_with_sdl(&supergraph, urls, RouterConfig::default()).await;
    (members, badges, router)
}

#[test]
fn both_subgraphs_declare_the_nested_key() {
    for sdl in [sdl_of(&members_schema()), sdl_of(&badges_schema())] {
        assert!(
            sdl.contains("@key(fields: \"id organization { id }\")"),
            "{sdl}"
        );
    }
}

#[tokio::test]
async fn entities_with_a_nested_key_are_resolved_across_subgraphs() {
    let (members, badges, router) = setup().await;
    let (status, body) = router
        .query("{ members { name organization { id } badge } }", json!({}))
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body,
        json!({"data": {"members": [
            {"name": "Ada", "organization": {"id": "o1"}, "badge": "o1/m1"},
            {"name": "Alan", "organization": {"id": "o2"}, "badge": "o2/m1"}
        ]}})
    );
    assert_eq!(members.log.entity_calls().len(), 0);
    let calls = badges.log.entity_calls();
    assert_eq!(calls.len(), 1, "{calls:?}");
    assert_eq!(
        calls[0].variables["representations"],
        json!([
            {"__typename": "Member", "id": "m1", "organization": {"id": "o1"}},
            {"__typename": "Member", "id": "m1", "organization": {"id": "o2"}}
        ])
    );
}

/// The plan: members' fetch selects the nested key, which the badges
/// fetch requires as a nested object.
#[test]
fn the_plan_requires_the_nested_key_as_a_nested_object() {
    let (members, badges) = (sdl_of(&members_schema()), sdl_of(&badges_schema()));
    let subgraphs = [("members", members.as_str()), ("badges", badges.as_str())];
    let query = "{ members { name organization { id } badge } }";
    insta::assert_snapshot!(crate::plans::plan_of(&subgraphs, query));
}
