//! Page-by-page iteration of list operations: the spec's `page[number]` parameter and the response's
//! `meta.page_number` / `meta.total_pages`.

use std::fmt;

use super::error::Error;
use super::request::RequestBuilder;

/// A list response that says where it is among the pages.
pub trait Paginated {
    /// The number of this page (1-based), when the response says.
    fn page_number(&self) -> Option<i64>;
    /// How many pages there are, when the response says.
    fn total_pages(&self) -> Option<i64>;
}

/// The pages of a list operation, fetched one at a time.
///
/// ```no_run
/// use telnyx_call_control_runtime::{Pages, Paginated};
///
/// async fn print_all<T: Paginated + std::fmt::Debug + Send + 'static>(mut pages: Pages<T>) {
/// while let Some(page) = pages.next_page().await {
///     match page {
///         Ok(page) => println!("{page:?}"),
///         Err(e) => eprintln!("{e}"),
///     }
/// }
/// }
/// ```
#[must_use = "pages are fetched by `next_page`"]
pub struct Pages<T> {
    fetch: Box<dyn FnMut(i64) -> RequestBuilder<T> + Send>,
    next: Option<i64>,
}

impl<T: Paginated + Send + 'static> Pages<T> {
    /// Pages starting at `first`, each fetched by `fetch(page number)`; generated list
    /// operations have a `*_pages` method that builds this for you.
    pub fn new(first: i64, fetch: impl FnMut(i64) -> RequestBuilder<T> + Send + 'static) -> Self {
        Pages {
            fetch: Box::new(fetch),
            next: Some(first.max(1)),
        }
    }

    /// The next page; `None` after the last one (or after an error, which is returned once).
    pub async fn next_page(&mut self) -> Option<Result<T, Error>> {
        let page = self.next?;
        let result = (self.fetch)(page).await;
        self.next = match &result {
            Ok(body) => following(page, body.page_number(), body.total_pages()),
            Err(_) => None,
        };
        Some(result)
    }
}

/// The page after `requested`, if the response says there is one.
fn following(requested: i64, number: Option<i64>, total: Option<i64>) -> Option<i64> {
    let current = number.unwrap_or(requested);
    match total {
        Some(total) if current < total => Some(current + 1),
        _ => None,
    }
}

impl<T> fmt::Debug for Pages<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pages").field("next", &self.next).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::following;

    #[test]
    fn stops_at_the_last_page_or_without_a_total() {
        assert_eq!(following(1, Some(1), Some(3)), Some(2));
        assert_eq!(following(3, Some(3), Some(3)), None);
        assert_eq!(following(2, None, Some(3)), Some(3));
        assert_eq!(following(1, Some(1), None), None);
        assert_eq!(following(1, Some(5), Some(3)), None);
    }
}
