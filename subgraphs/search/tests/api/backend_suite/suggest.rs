//! Name suggestions from a prefix.

use search::domain::SuggestPrefix;

use crate::{backends::on_each_backend, data};

#[tokio::test]
async fn suggestions_complete_names_from_any_word_in_either_language() {
    on_each_backend(&data::products(), |index, backend| async move {
        let suggest = |prefix: &'static str| {
            let index = index.clone();
            async move {
                let prefix = SuggestPrefix::parse(prefix)
                    .expect("valid")
                    .expect("not blank");
                index.suggest(&prefix, 10).await.expect("suggestions")
            }
        };
        let nike: Vec<String> = suggest("NIK").await.into_iter().map(|s| s.text).collect();
        assert_eq!(
            nike,
            [
                "Nike Air Zoom Pegasus Running Shoes",
                "Nike 篮球鞋 Basketball Shoes"
            ],
            "{backend}"
        );
        let huawei: Vec<String> = suggest("华为").await.into_iter().map(|s| s.text).collect();
        assert_eq!(
            huawei,
            [
                "华为 Mate 60 Pro 智能手机",
                "华为 FreeBuds Pro 3 无线蓝牙耳机"
            ],
            "{backend}"
        );
        let middle: Vec<String> = suggest("蓝牙").await.into_iter().map(|s| s.text).collect();
        assert!(
            middle.contains(&"小米 Redmi Buds 5 蓝牙耳机".to_owned()),
            "{backend}: {middle:?}"
        );
        let words: Vec<String> = suggest("running sh")
            .await
            .into_iter()
            .map(|s| s.text)
            .collect();
        assert_eq!(words.len(), 2, "{backend}: {words:?}");
        assert!(suggest("zzz").await.is_empty(), "{backend}");
        assert!(
            suggest("原型").await.is_empty(),
            "{backend}: drafts are not suggested"
        );
        let one = index
            .suggest(
                &SuggestPrefix::parse("s")
                    .expect("valid")
                    .expect("not blank"),
                1,
            )
            .await
            .expect("suggestions");
        assert_eq!(one.len(), 1, "{backend}");
    })
    .await;
}
