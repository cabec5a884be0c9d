//! Sign-up, login, refresh rotation, logout, profile and password changes.

use serde_json::json;

use crate::helpers::{PASSWORD, Session, all_engines, codes, spawn_app, unique_email};

#[tokio::test]
async fn a_new_user_signs_up_logs_in_and_reads_itself() {
    for engine in all_engines() {
        let app = spawn_app(engine).await;
        let email = unique_email("ada");
        let signed_up = app
            .sign_up(&email.to_uppercase(), "  Ada Lovelace ", PASSWORD)
            .await;
        let first = Session::from_payload(&signed_up);
        assert_eq!(
            signed_up["user"]["name"], "Ada Lovelace",
            "{engine}: trimmed"
        );
        assert_eq!(signed_up["expiresIn"], 900);

        let logged_in = app.login(&email, PASSWORD).await;
        let second = Session::from_payload(&logged_in);
        assert_eq!(second.user_id, first.user_id);
        assert_ne!(second.refresh, first.refresh);

        let me = app.me(&second.access).await;
        assert_eq!(
            me["data"]["me"]["id"],
            first.user_id.as_str(),
            "{engine}: {me}"
        );
        assert_eq!(
            me["data"]["me"]["email"], email,
            "{engine}: stored lower-cased"
        );
        assert_eq!(me["data"]["me"]["role"], "CUSTOMER");
        assert_eq!(me["data"]["me"]["frozen"], false);
        assert_eq!(me["data"]["me"]["addresses"], json!([]));
    }
}

#[tokio::test]
async fn a_wrong_password_and_an_unknown_email_get_the_same_error() {
    for engine in all_engines() {
        let app = spawn_app(engine).await;
        let (email, _) = app.new_customer("bob").await;
        let wrong_password = app.login(&email, "not-the-password-1").await;
        let unknown_email = app.login(&unique_email("nobody"), PASSWORD).await;
        let malformed_email = app.login("not an email", PASSWORD).await;
        assert_eq!(codes(&wrong_password), ["INVALID_CREDENTIALS"], "{engine}");
        assert_eq!(
            wrong_password["errors"], unknown_email["errors"],
            "{engine}"
        );
        assert_eq!(
            wrong_password["errors"], malformed_email["errors"],
            "{engine}"
        );
        assert_eq!(wrong_password["accessToken"], json!(null));
        assert_eq!(unknown_email["refreshToken"], json!(null));
    }
}

#[tokio::test]
async fn sign_up_refuses_bad_input_with_typed_errors_and_writes_nothing() {
    for engine in all_engines() {
        let app = spawn_app(engine).await;
        let email = unique_email("carol");
        let (long_name, huge_name) = ("名".repeat(101), "n".repeat(500));
        let cases = [
            ("not-an-email", "Carol", PASSWORD, vec!["INVALID_EMAIL"]),
            (email.as_str(), "Carol", "short1", vec!["WEAK_PASSWORD"]),
            (
                email.as_str(),
                "Carol",
                "onlyletters",
                vec!["WEAK_PASSWORD"],
            ),
            (
                email.as_str(),
                long_name.as_str(),
                PASSWORD,
                vec!["TOO_LONG"],
            ),
            (email.as_str(), "   ", PASSWORD, vec!["REQUIRED"]),
            (
                "x@y",
                huge_name.as_str(),
                "12345678",
                vec!["INVALID_EMAIL", "TOO_LONG", "WEAK_PASSWORD"],
            ),
        ];
        for (email, name, password, expected) in cases {
            let payload = app.sign_up(email, name, password).await;
            assert_eq!(
                codes(&payload),
                expected,
                "{engine}: {email} {name} {password}"
            );
            assert_eq!(payload["user"], json!(null));
        }
        // None of those created the account.
        assert_eq!(
            codes(&app.login(&email, PASSWORD).await),
            ["INVALID_CREDENTIALS"]
        );

        Session::from_payload(&app.sign_up(&email, "Carol", PASSWORD).await);
        let again = app
            .sign_up(&email.to_uppercase(), "Carol Two", "another-pass-2")
            .await;
        assert_eq!(codes(&again), ["EMAIL_TAKEN"], "{engine}");
        assert_eq!(again["errors"][0]["field"], "email");
        // The first account is untouched: its password still works.
        Session::from_payload(&app.login(&email, PASSWORD).await);
        assert_eq!(
            codes(&app.login(&email, "another-pass-2").await),
            ["INVALID_CREDENTIALS"]
        );
    }
}

#[tokio::test]
async fn refresh_rotates_tokens_and_a_reused_token_revokes_its_family() {
    for engine in all_engines() {
        let app = spawn_app(engine).await;
        let (email, first) = app.new_customer("dave").await;
        let other_login = Session::from_payload(&app.login(&email, PASSWORD).await);

        let second = Session::from_payload(&app.refresh(&first.refresh).await);
        assert_ne!(
            second.refresh, first.refresh,
            "{engine}: the refresh token rotates"
        );
        assert_eq!(second.user_id, first.user_id);
        assert!(app.me(&second.access).await["data"]["me"]["id"].is_string());
        let third = Session::from_payload(&app.refresh(&second.refresh).await);

        // Replaying a spent token: refused, and the family's live token dies.
        assert_eq!(
            codes(&app.refresh(&first.refresh).await),
            ["REFRESH_TOKEN_REUSED"],
            "{engine}"
        );
        assert_eq!(
            codes(&app.refresh(&third.refresh).await),
            ["INVALID_REFRESH_TOKEN"],
            "{engine}"
        );
        // Another login of the same user is its own family and lives on.
        Session::from_payload(&app.refresh(&other_login.refresh).await);

        assert_eq!(
            codes(&app.refresh("made-up-token").await),
            ["INVALID_REFRESH_TOKEN"]
        );
        assert_eq!(codes(&app.refresh("").await), ["INVALID_REFRESH_TOKEN"]);
    }
}

#[tokio::test]
async fn logout_revokes_the_login_it_belongs_to() {
    for engine in all_engines() {
        let app = spawn_app(engine).await;
        let (_, session) = app.new_customer("erin").await;
        let rotated = Session::from_payload(&app.refresh(&session.refresh).await);
        let logout = app.logout(&rotated.refresh).await;
        assert_eq!(logout["ok"], true, "{engine}: {logout}");
        assert_eq!(
            codes(&app.refresh(&rotated.refresh).await),
            ["INVALID_REFRESH_TOKEN"],
            "{engine}"
        );
        assert_eq!(
            codes(&app.logout("made-up-token").await),
            ["INVALID_REFRESH_TOKEN"]
        );
    }
}

const CHANGE_PASSWORD: &str = "mutation($input: ChangePasswordInput!) { changePassword(input: $input) \
    { accessToken refreshToken user { id } errors { code field } } }";

#[tokio::test]
async fn changing_the_password_signs_out_other_sessions() {
    for engine in all_engines() {
        let app = spawn_app(engine).await;
        let (email, here) = app.new_customer("frank").await;
        let elsewhere = Session::from_payload(&app.login(&email, PASSWORD).await);

        let change = |current: &'static str, new: &'static str| json!({ "input": { "currentPassword": current, "newPassword": new } });
        let wrong = app
            .gql(
                CHANGE_PASSWORD,
                change("wrong-pass-1", "new-pass-word-2"),
                Some(&here.access),
            )
            .await;
        assert_eq!(
            codes(&wrong["data"]["changePassword"]),
            ["INVALID_CREDENTIALS"],
            "{engine}"
        );
        let weak = app
            .gql(
                CHANGE_PASSWORD,
                change(PASSWORD, "weak"),
                Some(&here.access),
            )
            .await;
        assert_eq!(
            codes(&weak["data"]["changePassword"]),
            ["WEAK_PASSWORD"],
            "{engine}"
        );
        assert_eq!(
            weak["data"]["changePassword"]["errors"][0]["field"],
            "newPassword"
        );
        // Neither attempt changed anything.
        Session::from_payload(&app.refresh(&elsewhere.refresh).await);
        let elsewhere = Session::from_payload(&app.login(&email, PASSWORD).await);

        let anonymous = app
            .gql(CHANGE_PASSWORD, change(PASSWORD, "new-pass-word-2"), None)
            .await;
        assert_eq!(crate::helpers::error_codes(&anonymous), ["UNAUTHENTICATED"]);

        let changed = app
            .gql(
                CHANGE_PASSWORD,
                change(PASSWORD, "new-pass-word-2"),
                Some(&here.access),
            )
            .await;
        let fresh = Session::from_payload(&changed["data"]["changePassword"]);
        assert_eq!(
            codes(&app.refresh(&elsewhere.refresh).await),
            ["INVALID_REFRESH_TOKEN"],
            "{engine}"
        );
        assert_eq!(
            codes(&app.refresh(&here.refresh).await),
            ["INVALID_REFRESH_TOKEN"],
            "{engine}"
        );
        Session::from_payload(&app.refresh(&fresh.refresh).await);
        assert_eq!(
            codes(&app.login(&email, PASSWORD).await),
            ["INVALID_CREDENTIALS"]
        );
        Session::from_payload(&app.login(&email, "new-pass-word-2").await);
    }
}

const UPDATE_PROFILE: &str = "mutation($name: String!) { updateProfile(input: { name: $name }) \
    { user { name } errors { code field } } }";

#[tokio::test]
async fn a_user_renames_themself_within_bounds() {
    for engine in all_engines() {
        let app = spawn_app(engine).await;
        let (_, session) = app.new_customer("gina").await;
        let renamed = app
            .gql(
                UPDATE_PROFILE,
                json!({ "name": "王 Gina" }),
                Some(&session.access),
            )
            .await;
        assert_eq!(
            renamed["data"]["updateProfile"]["user"]["name"], "王 Gina",
            "{engine}"
        );
        let too_long = app
            .gql(
                UPDATE_PROFILE,
                json!({ "name": "x".repeat(101) }),
                Some(&session.access),
            )
            .await;
        assert_eq!(codes(&too_long["data"]["updateProfile"]), ["TOO_LONG"]);
        assert_eq!(
            app.me(&session.access).await["data"]["me"]["name"],
            "王 Gina",
            "{engine}"
        );
    }
}

#[tokio::test]
async fn two_concurrent_refreshes_with_one_token_leave_one_winner_and_a_dead_family() {
    for engine in all_engines() {
        let app = spawn_app(engine).await;
        let (_, session) = app.new_customer("racer").await;
        let (a, b) = tokio::join!(app.refresh(&session.refresh), app.refresh(&session.refresh));
        let mut outcomes = [codes(&a), codes(&b)];
        outcomes.sort();
        assert_eq!(
            outcomes,
            [vec![], vec!["REFRESH_TOKEN_REUSED".to_owned()]],
            "{engine}: {a} {b}"
        );
        // The winner's new token died with the family.
        let winner = if codes(&a).is_empty() { a } else { b };
        let next = winner["refreshToken"].as_str().unwrap();
        assert_eq!(
            codes(&app.refresh(next).await),
            ["INVALID_REFRESH_TOKEN"],
            "{engine}"
        );
    }
}

#[tokio::test]
async fn two_concurrent_sign_ups_with_one_email_create_one_account() {
    for engine in all_engines() {
        let app = spawn_app(engine).await;
        let email = unique_email("twin");
        let shouted = email.to_uppercase();
        let (a, b) = tokio::join!(
            app.sign_up(&email, "Twin A", PASSWORD),
            app.sign_up(&shouted, "Twin B", "other-pass-2")
        );
        let mut outcomes = [codes(&a), codes(&b)];
        outcomes.sort();
        assert_eq!(
            outcomes,
            [vec![], vec!["EMAIL_TAKEN".to_owned()]],
            "{engine}: {a} {b}"
        );
    }
}

#[tokio::test]
async fn an_expired_refresh_token_is_refused() {
    for engine in all_engines() {
        let url = platform::testing::fresh_database_url(engine).await.unwrap();
        let mut settings = users::Settings::with_database(url);
        settings.refresh_token_ttl = std::time::Duration::from_millis(300);
        settings.access_token_ttl = std::time::Duration::from_secs(60);
        let app = crate::helpers::spawn_with(settings).await;
        let (_, session) = app.new_customer("late").await;
        let payload = app.login(&app_email(&app, &session).await, PASSWORD).await;
        assert_eq!(
            payload["expiresIn"], 60,
            "{engine}: ACCESS_TOKEN_TTL applies"
        );
        tokio::time::sleep(std::time::Duration::from_millis(400)).await;
        assert_eq!(
            codes(&app.refresh(&session.refresh).await),
            ["INVALID_REFRESH_TOKEN"],
            "{engine}"
        );
    }
}

async fn app_email(app: &crate::helpers::TestApp, session: &Session) -> String {
    app.me(&session.access).await["data"]["me"]["email"]
        .as_str()
        .expect("my email")
        .to_owned()
}
