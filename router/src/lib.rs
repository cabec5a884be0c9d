//! The ShopGraph router.
