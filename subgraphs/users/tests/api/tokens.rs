//! Access tokens: what a bad one gets, the JWKS that verifies good ones,
//! and the signing key surviving a restart.

use base64::{Engine as _, engine::general_purpose::STANDARD};
use platform::{
    auth::{Claims, ISSUER, JwksSource, JwtVerifier, SigningKey},
    db::Db,
};
use reqwest::StatusCode;
use serde_json::{Value, json};
use sqlx::Row;

use crate::helpers::{TestApp, all_engines, error_codes, spawn_app, spawn_app_on};

/// The key the service stored, read straight from its database.
async fn stored_key(app: &TestApp) -> SigningKey {
    let db = Db::connect(&app.database_url)
        .await
        .expect("the test database");
    let row = sqlx::query("SELECT signing_key_id, pkcs8 FROM signing_key")
        .fetch_one(db.pool())
        .await
        .expect("one signing key");
    let pkcs8 = STANDARD
        .decode(row.get::<String, _>("pkcs8"))
        .expect("base64");
    SigningKey::from_pkcs8(row.get("signing_key_id"), pkcs8).expect("a valid key")
}

fn claims(user_id: &str, iat: i64, exp: i64) -> Claims {
    Claims {
        sub: user_id.to_owned(),
        iss: ISSUER.to_owned(),
        iat,
        exp,
        scope: "customer".to_owned(),
    }
}

const ME: &str = "{ me { id } }";

#[tokio::test]
async fn forged_expired_and_malformed_tokens_get_unauthenticated() {
    for engine in all_engines() {
        let app = spawn_app(engine).await;
        let (_, session) = app.new_customer("mallory").await;
        let key = stored_key(&app).await;
        let now = platform::db::now_millis() / 1000;

        // The stored key's own signature is accepted, so the refusals below
        // are about what is wrong with each token.
        let genuine = key.sign(&claims(&session.user_id, now, now + 60)).unwrap();
        assert_eq!(
            app.gql(ME, json!({}), Some(&genuine)).await["data"]["me"]["id"],
            session.user_id.as_str()
        );

        let expired = key
            .sign(&claims(&session.user_id, now - 3600, now - 600))
            .unwrap();
        let foreign = SigningKey::generate().unwrap();
        let unknown_kid = foreign
            .sign(&claims(&session.user_id, now, now + 60))
            .unwrap();
        // Same key id as the real key, different key: the signature fails.
        let impostor =
            SigningKey::from_pkcs8(key.kid().to_owned(), foreign.pkcs8().to_vec()).unwrap();
        let wrong_signature = impostor
            .sign(&claims(&session.user_id, now, now + 60))
            .unwrap();
        let mut tampered = session.access.clone();
        tampered.insert(tampered.len() / 2 + 3, 'x');
        let wrong_issuer = key
            .sign(&Claims {
                iss: "someone-else".into(),
                ..claims(&session.user_id, now, now + 60)
            })
            .unwrap();

        for header in [
            format!("Bearer {expired}"),
            format!("Bearer {unknown_kid}"),
            format!("Bearer {wrong_signature}"),
            format!("Bearer {tampered}"),
            format!("Bearer {wrong_issuer}"),
            "Bearer not.a.jwt".to_owned(),
            "Bearer".to_owned(),
            format!("Basic {}", session.access),
        ] {
            let (status, body) = app.post(ME, json!({}), Some(&header)).await;
            assert_eq!(
                status,
                StatusCode::UNAUTHORIZED,
                "{engine}: {header}: {body}"
            );
            assert_eq!(
                error_codes(&body),
                ["UNAUTHENTICATED"],
                "{engine}: {header}"
            );
        }

        let anonymous = app.gql(ME, json!({}), None).await;
        assert_eq!(anonymous["data"]["me"], Value::Null);
        assert_eq!(error_codes(&anonymous), ["UNAUTHENTICATED"]);
    }
}

#[tokio::test]
async fn the_jwks_endpoint_verifies_issued_tokens() {
    for engine in all_engines() {
        let app = spawn_app(engine).await;
        let (_, session) = app.new_customer("jwks").await;

        let response = app.get("/.well-known/jwks.json").await;
        assert_eq!(response.status(), StatusCode::OK);
        let jwks: Value = response.json().await.unwrap();
        let header = jsonwebtoken::decode_header(&session.access).unwrap();
        assert_eq!(header.alg, jsonwebtoken::Algorithm::EdDSA);
        assert_eq!(
            jwks["keys"][0]["kid"].as_str(),
            header.kid.as_deref(),
            "{engine}"
        );
        assert_eq!(jwks["keys"][0]["crv"], "Ed25519");

        // What every other service does: verify against the published JWKS.
        let verifier = JwtVerifier::new(JwksSource::Url(format!(
            "{}/.well-known/jwks.json",
            app.base
        )));
        let viewer = verifier
            .verify(&session.access)
            .await
            .expect("the token verifies");
        assert_eq!(viewer.user_id, session.user_id);
        assert_eq!(viewer.scopes, ["customer"]);
        assert!(!viewer.is_admin());
    }
}

#[tokio::test]
async fn the_signing_key_survives_a_restart() {
    for engine in all_engines() {
        let first = spawn_app(engine).await;
        let (email, session) = first.new_customer("restart").await;
        let jwks_before: Value = first
            .get("/.well-known/jwks.json")
            .await
            .json()
            .await
            .unwrap();

        // A second instance on the same database: a replica, or a restart.
        let second = spawn_app_on(first.database_url.clone(), false).await;
        let jwks_after: Value = second
            .get("/.well-known/jwks.json")
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(jwks_before, jwks_after, "{engine}");
        let me = second.me(&session.access).await;
        assert_eq!(me["data"]["me"]["email"], email.as_str(), "{engine}: {me}");
    }
}
