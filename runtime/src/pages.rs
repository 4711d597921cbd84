//! Page-by-page iteration of list operations, one page at a time or as `Stream`s of pages and of
//! items. The spec's list operations in scope number their pages (`page[number]`, or `number` inside
//! a `page` deep object) and say how many there are in `meta.total_pages`.

use std::fmt;
use std::future::{Future, IntoFuture};
use std::pin::Pin;
use std::task::{ready, Context, Poll};

use futures_core::Stream;

use super::error::Error;
use super::request::RequestBuilder;

/// A list response that says where it is among the pages and holds the listed items.
pub trait Paginated {
    /// What the list holds (the element type of its `data` array).
    type Item;
    /// The number of this page (1-based), when the response says.
    fn page_number(&self) -> Option<i64>;
    /// How many pages there are, when the response says.
    fn total_pages(&self) -> Option<i64>;
    /// The items of this page, in the order the API listed them.
    fn into_items(self) -> Vec<Self::Item>;
}

/// A page request under way.
type Fetching<T> = Pin<Box<dyn Future<Output = Result<T, Error>> + Send>>;

/// The pages of a list operation: [`Pages::next_page`] fetches one at a time, and `Pages` is also a
/// [`Stream`] of pages; [`Pages::items`] makes it a stream of the items on them.
///
/// Pages are fetched one after the other, each when it is asked for, until `meta.total_pages`. An
/// error is yielded once and ends the pages (a retryable one was already retried by the client).
///
/// ```no_run
/// use futures_util::TryStreamExt;
/// use telnyx_call_control_runtime::{Error, Pages, Paginated};
///
/// async fn count<T>(pages: Pages<T>) -> Result<usize, Error>
/// where
///     T: Paginated + Send + 'static,
///     T::Item: Send,
/// {
///     let items: Vec<T::Item> = pages.items().try_collect().await?;
///     Ok(items.len())
/// }
/// ```
#[must_use = "pages are fetched by `next_page` or by polling them as a stream"]
pub struct Pages<T> {
    fetch: Box<dyn FnMut(i64) -> RequestBuilder<T> + Send>,
    /// The page to ask for next; `None` once the last one (or an error) was yielded.
    next: Option<i64>,
    /// The page being fetched and its request.
    fetching: Option<(i64, Fetching<T>)>,
}

impl<T: Paginated + Send + 'static> Pages<T> {
    /// Pages starting at `first`, each fetched by `fetch(page number)`; generated list
    /// operations have a `*_pages` method that builds this for you.
    pub fn new(first: i64, fetch: impl FnMut(i64) -> RequestBuilder<T> + Send + 'static) -> Self {
        Pages {
            fetch: Box::new(fetch),
            next: Some(first.max(1)),
            fetching: None,
        }
    }

    /// The next page; `None` after the last one (or after an error, which is returned once).
    ///
    /// Dropping the returned future before it completes keeps the page's request: the next call
    /// resumes it rather than asking again.
    pub async fn next_page(&mut self) -> Option<Result<T, Error>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }

    /// The items of every page, in order: a stream that fetches the next page when the items of
    /// the last one are used up, and ends after the last page or after yielding an error.
    pub fn items(self) -> Items<T> {
        Items {
            pages: self,
            buffer: Vec::new().into_iter(),
        }
    }
}

impl<T: Paginated + Send + 'static> Stream for Pages<T> {
    type Item = Result<T, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        // `Pages` holds nothing pinned in place: the request under way is boxed.
        let this = self.get_mut();
        let (page, request) = match &mut this.fetching {
            Some(fetching) => fetching,
            None => {
                let Some(page) = this.next else {
                    return Poll::Ready(None);
                };
                this.fetching
                    .insert((page, (this.fetch)(page).into_future()))
            }
        };
        let page = *page;
        let result = ready!(request.as_mut().poll(cx));
        this.fetching = None;
        this.next = match &result {
            Ok(body) => following(page, body.total_pages()),
            Err(_) => None,
        };
        Poll::Ready(Some(result))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        match self.next {
            Some(_) => (usize::from(self.fetching.is_some()), None),
            None => (0, Some(0)),
        }
    }
}

/// The page after `requested`, if the response says there is one.
///
/// Counted from the page asked for, not from the response's `page_number`: a server that answers
/// with another number than the one asked for must not make the walk go back or stand still.
fn following(requested: i64, total: Option<i64>) -> Option<i64> {
    match total {
        Some(total) if requested < total => requested.checked_add(1),
        _ => None,
    }
}

impl<T> fmt::Debug for Pages<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pages")
            .field("next", &self.next)
            .field("fetching", &self.fetching.as_ref().map(|(page, _)| page))
            .finish()
    }
}

/// The items of every page of a list operation, as a [`Stream`]: made by [`Pages::items`].
#[must_use = "streams do nothing unless polled"]
pub struct Items<T: Paginated> {
    pages: Pages<T>,
    /// The items of the last page not yielded yet.
    buffer: std::vec::IntoIter<T::Item>,
}

// Nothing of `Items` is pinned in place: the request under way is boxed, and items are moved out of
// the buffer, never polled.
impl<T: Paginated> Unpin for Items<T> {}

impl<T: Paginated + Send + 'static> Stream for Items<T> {
    type Item = Result<T::Item, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if let Some(item) = this.buffer.next() {
                return Poll::Ready(Some(Ok(item)));
            }
            match ready!(Pin::new(&mut this.pages).poll_next(cx)) {
                Some(Ok(page)) => this.buffer = page.into_items().into_iter(),
                Some(Err(error)) => return Poll::Ready(Some(Err(error))),
                None => return Poll::Ready(None),
            }
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let buffered = self.buffer.len();
        match self.pages.next {
            Some(_) => (buffered, None),
            None => (buffered, Some(buffered)),
        }
    }
}

impl<T: Paginated> fmt::Debug for Items<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Items")
            .field("pages", &self.pages)
            .field("buffered", &self.buffer.len())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::following;

    #[test]
    fn stops_at_the_last_page_or_without_a_total() {
        assert_eq!(following(1, Some(3)), Some(2));
        assert_eq!(following(2, Some(3)), Some(3));
        assert_eq!(following(3, Some(3)), None);
        assert_eq!(following(1, None), None);
        assert_eq!(following(5, Some(3)), None);
        assert_eq!(following(i64::MAX, Some(i64::MAX)), None);
    }
}
