//! Integration tests of `chronograph serve` over HTTP on 127.0.0.1.

mod exposure;
mod limits;
mod read_model;
mod search_page;
mod serve;
