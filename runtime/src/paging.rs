//! Streams over paged operations: the generated `*_pages` methods call the page operation
//! with a moving offset until the pages reach the total the API reports, or a page comes back
//! empty; the `*_stream` methods yield the items of those pages.
//!
//! A page shorter than the size asked for does not end the stream: servers cap the page size.
//! The offset moves by the number of items received. Two guards keep a stream from running
//! forever: a page that repeats the previous one (a server that ignores the offset) ends it
//! with [`PagingError::RepeatedPage`], and so does fetching more than the client's page cap
//! ([`MAX_PAGES`] unless set otherwise) with [`PagingError::TooManyPages`].

use std::future::Future;
use std::hash::{DefaultHasher, Hasher};

use futures_core::Stream;
use futures_util::StreamExt;
use futures_util::stream;
use serde::Serialize;

/// How many pages a stream fetches, by default, before it gives up with
/// [`PagingError::TooManyPages`]: 10,000 (a million items in pages of 100). Change it with
/// `ClientBuilder::max_pages`.
pub const MAX_PAGES: u64 = 10_000;

/// Why a stream of pages stopped on its own account, rather than because a call failed.
/// Carried by [`Error::Paging`](crate::Error::Paging).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PagingError {
    /// The page at `offset` holds the same items as the page before it: the server ignores
    /// the offset, and paging on would never end.
    #[error("the page at offset {offset} repeats the previous page; the server ignores the offset")]
    RepeatedPage {
        /// The offset the repeated page was asked for.
        offset: u64,
    },
    /// The stream fetched as many pages as the client allows without reaching the end.
    #[error("{pages} pages fetched without reaching the end (the client's page cap)")]
    TooManyPages {
        /// How many pages were fetched.
        pages: u64,
    },
}

/// A [`PagingError`] with the operation whose stream it ended: made into the API's
/// [`Error`](crate::Error) by the stream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PagingFailure {
    /// The operationId of the paged call.
    pub operation: &'static str,
    /// Why the stream stopped.
    pub reason: PagingError,
}

/// A paging number as the API types it: an integer, or (in some JSON bodies) a string
/// holding one; optional or not.
pub trait PageNumber {
    /// The number, when it is set and not negative.
    fn page_number(&self) -> Option<u64>;
    /// Sets the number (saturating at the type's largest value).
    fn set_page_number(&mut self, value: u64);
}

impl PageNumber for String {
    fn page_number(&self) -> Option<u64> {
        self.trim().parse().ok()
    }

    fn set_page_number(&mut self, value: u64) {
        *self = value.to_string();
    }
}

impl PageNumber for i64 {
    fn page_number(&self) -> Option<u64> {
        u64::try_from(*self).ok()
    }

    fn set_page_number(&mut self, value: u64) {
        *self = i64::try_from(value).unwrap_or(i64::MAX);
    }
}

impl PageNumber for i32 {
    fn page_number(&self) -> Option<u64> {
        u64::try_from(*self).ok()
    }

    fn set_page_number(&mut self, value: u64) {
        *self = i32::try_from(value).unwrap_or(i32::MAX);
    }
}

impl<T: PageNumber + Default> PageNumber for Option<T> {
    fn page_number(&self) -> Option<u64> {
        self.as_ref().and_then(PageNumber::page_number)
    }

    fn set_page_number(&mut self, value: u64) {
        self.get_or_insert_with(T::default).set_page_number(value);
    }
}

/// What the stream needs to know of a page: how many items it holds, the total the body
/// reports (if it does), and a fingerprint of the items to tell a repeated page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageFacts {
    items: usize,
    total: Option<u64>,
    fingerprint: Option<u64>,
}

impl PageFacts {
    /// The facts of a page holding `items`, whose body reports `total` items in all. The
    /// fingerprint hashes the items' JSON (`None` when they cannot be serialized).
    pub fn new<T: Serialize>(items: &[T], total: Option<u64>) -> Self {
        let mut hasher = DefaultHasher::new();
        let fingerprint = serde_json::to_writer(HashWriter(&mut hasher), items)
            .ok()
            .map(|()| hasher.finish());
        Self {
            items: items.len(),
            total,
            fingerprint,
        }
    }
}

/// Feeds what is written to a hasher.
struct HashWriter<'h>(&'h mut DefaultHasher);

impl std::io::Write for HashWriter<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.write(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Where a stream of pages starts and how far it may go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pager {
    /// The operationId of the paged call, for the errors of the stream.
    pub operation: &'static str,
    /// The offset of the first page.
    pub skip: u64,
    /// The page size asked for (at least 1).
    pub limit: u64,
    /// The most pages the stream fetches.
    pub max_pages: u64,
}

/// Where a stream of pages is between two pages.
struct State<F, R> {
    fetch: F,
    facts: R,
    /// The offset of the next page; `None` once the stream has ended.
    next: Option<u64>,
    /// How many pages were fetched.
    pages: u64,
    /// The fingerprint of the previous page.
    previous: Option<u64>,
}

/// Every page from offset `pager.skip` in pages of `pager.limit`: `fetch(skip, limit)` returns
/// one page and `facts` reads it. The offset moves by the number of items each page holds.
///
/// The stream ends after the page that brings the offset to the total the page reports, after
/// an empty page (which it yields), and after the first error, which it yields. A page with
/// the same items as the previous one is not yielded: the stream ends with
/// [`PagingError::RepeatedPage`] instead. Where `pager.max_pages` pages did not reach the end,
/// it ends with [`PagingError::TooManyPages`] without fetching more.
pub fn paginate<'a, P, E, F, Fut, R>(
    pager: Pager,
    fetch: F,
    facts: R,
) -> impl Stream<Item = Result<P, E>> + Send + 'a
where
    P: Send + 'a,
    E: From<PagingFailure> + Send + 'a,
    F: FnMut(u64, u64) -> Fut + Send + 'a,
    Fut: Future<Output = Result<P, E>> + Send + 'a,
    R: FnMut(&P) -> PageFacts + Send + 'a,
{
    let limit = pager.limit.max(1);
    let fail = move |reason| {
        E::from(PagingFailure {
            operation: pager.operation,
            reason,
        })
    };
    let state = State {
        fetch,
        facts,
        next: Some(pager.skip),
        pages: 0,
        previous: None,
    };
    stream::unfold(state, move |mut state| async move {
        let skip = state.next.take()?;
        if state.pages >= pager.max_pages {
            let reason = PagingError::TooManyPages { pages: state.pages };
            return Some((Err(fail(reason)), state));
        }
        state.pages += 1;
        let page = match (state.fetch)(skip, limit).await {
            Ok(page) => page,
            Err(error) => return Some((Err(error), state)),
        };
        let facts = (state.facts)(&page);
        if facts.items > 0 && state.previous.is_some() && facts.fingerprint == state.previous {
            let reason = PagingError::RepeatedPage { offset: skip };
            return Some((Err(fail(reason)), state));
        }
        state.previous = facts.fingerprint;
        let offset = skip.saturating_add(facts.items as u64);
        let reached_total = facts.total.is_some_and(|total| offset >= total);
        if facts.items > 0 && !reached_total {
            state.next = Some(offset);
        }
        Some((Ok(page), state))
    })
}

/// Every item of a stream of pages: `items` takes them out of each page. Ends where the
/// pages end; an error of the pages is yielded as it comes.
pub fn page_items<'a, P, T, E, S>(
    pages: impl Stream<Item = Result<P, E>> + Send + 'a,
    mut items: S,
) -> impl Stream<Item = Result<T, E>> + Send + 'a
where
    P: 'a,
    T: Send + 'a,
    E: Send + 'a,
    S: FnMut(P) -> Vec<T> + Send + 'a,
{
    pages.flat_map(move |page| {
        let (items, error) = match page {
            Ok(page) => (items(page), None),
            Err(error) => (Vec::new(), Some(error)),
        };
        stream::iter(items.into_iter().map(Ok).chain(error.map(Err)))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::future::{Ready, ready};
    use std::sync::{Arc, Mutex};

    /// One page of a fake API: its items, and the total it reports.
    #[derive(Debug, Clone, PartialEq)]
    struct Page {
        items: Vec<u64>,
        total: Option<u64>,
    }

    /// A failed call, or the stream's own stop.
    #[derive(Debug, PartialEq)]
    enum Failure {
        Call(String),
        Paging(PagingFailure),
    }

    impl From<PagingFailure> for Failure {
        fn from(failure: PagingFailure) -> Self {
            Failure::Paging(failure)
        }
    }

    fn paging(reason: PagingError) -> Failure {
        Failure::Paging(PagingFailure {
            operation: "listThings",
            reason,
        })
    }

    fn pager(skip: u64, limit: u64) -> Pager {
        Pager {
            operation: "listThings",
            skip,
            limit,
            max_pages: MAX_PAGES,
        }
    }

    /// The pages asked for, as `(skip, limit)`.
    type Asked = Arc<Mutex<Vec<(u64, u64)>>>;

    /// A fake API of `count` numbered items that serves at most `cap` per page (servers cap
    /// the page size) and reports `count` as the total when `reports_total`.
    fn server(
        count: u64,
        cap: u64,
        reports_total: bool,
        asked: Asked,
    ) -> impl FnMut(u64, u64) -> Ready<Result<Page, Failure>> + Send {
        move |skip, limit| {
            asked.lock().unwrap().push((skip, limit));
            let end = count.min(skip + limit.min(cap));
            ready(Ok(Page {
                items: (skip.min(end)..end).collect(),
                total: reports_total.then_some(count),
            }))
        }
    }

    fn facts(page: &Page) -> PageFacts {
        PageFacts::new(&page.items, page.total)
    }

    /// Every item of the pages, and the error that ended them, if one did.
    async fn drain(
        pages: impl Stream<Item = Result<Page, Failure>> + Send,
    ) -> (Vec<u64>, Option<Failure>) {
        let results: Vec<Result<u64, Failure>> =
            page_items(pages, |page: Page| page.items).collect().await;
        let mut items = Vec::new();
        let mut error = None;
        for result in results {
            match result {
                Ok(item) => items.push(item),
                Err(failure) => {
                    assert!(error.is_none(), "the stream goes on after an error");
                    error = Some(failure);
                }
            }
        }
        (items, error)
    }

    #[tokio::test]
    async fn the_stream_stops_where_the_offset_reaches_the_total_even_mid_page() {
        let asked = Asked::default();
        let pages = paginate(pager(0, 10), server(25, 10, true, asked.clone()), facts);
        let (items, error) = drain(pages).await;
        assert_eq!(items, (0..25).collect::<Vec<_>>());
        assert_eq!(error, None);
        // The third page holds 5 items and brings the offset to 25: no fourth request.
        assert_eq!(*asked.lock().unwrap(), [(0, 10), (10, 10), (20, 10)]);
    }

    #[tokio::test]
    async fn the_total_counts_from_the_start_of_the_list_not_from_the_first_offset() {
        let asked = Asked::default();
        let pages = paginate(pager(5, 5), server(15, 5, true, asked.clone()), facts);
        let (items, _) = drain(pages).await;
        assert_eq!(items, (5..15).collect::<Vec<_>>());
        assert_eq!(*asked.lock().unwrap(), [(5, 5), (10, 5)]);
    }

    #[tokio::test]
    async fn without_a_total_an_empty_page_ends_the_stream() {
        let asked = Asked::default();
        let pages = paginate(pager(0, 10), server(20, 10, false, asked.clone()), facts);
        let (items, error) = drain(pages).await;
        assert_eq!(items, (0..20).collect::<Vec<_>>());
        assert_eq!(error, None);
        assert_eq!(*asked.lock().unwrap(), [(0, 10), (10, 10), (20, 10)]);
    }

    #[tokio::test]
    async fn an_empty_page_ends_the_stream_even_below_the_total() {
        let asked = Asked::default();
        // Reports 50 but has 12: the items ran out before the total.
        let fetch = {
            let asked = asked.clone();
            move |skip: u64, limit: u64| {
                asked.lock().unwrap().push((skip, limit));
                ready(Ok::<_, Failure>(Page {
                    items: (skip.min(12)..12.min(skip + limit)).collect(),
                    total: Some(50),
                }))
            }
        };
        let (items, error) = drain(paginate(pager(0, 8), fetch, facts)).await;
        assert_eq!(items, (0..12).collect::<Vec<_>>());
        assert_eq!(error, None);
        assert_eq!(*asked.lock().unwrap(), [(0, 8), (8, 8), (12, 8)]);
    }

    #[tokio::test]
    async fn a_short_page_does_not_end_the_stream() {
        // The server serves 4 items where 10 were asked for.
        let asked = Asked::default();
        let pages = paginate(pager(0, 10), server(10, 4, true, asked.clone()), facts);
        let (items, _) = drain(pages).await;
        assert_eq!(items, (0..10).collect::<Vec<_>>());
        assert_eq!(*asked.lock().unwrap(), [(0, 10), (4, 10), (8, 10)]);

        // Without a total, the stream goes on to the empty page.
        let asked = Asked::default();
        let pages = paginate(pager(0, 10), server(10, 4, false, asked.clone()), facts);
        let (items, _) = drain(pages).await;
        assert_eq!(items, (0..10).collect::<Vec<_>>());
        assert_eq!(
            *asked.lock().unwrap(),
            [(0, 10), (4, 10), (8, 10), (10, 10)]
        );
    }

    #[tokio::test]
    async fn a_repeated_page_ends_the_stream_with_an_error_after_two_requests() {
        let asked = Asked::default();
        let fetch = {
            let asked = asked.clone();
            // Ignores `skip`: always the first page.
            move |skip: u64, limit: u64| {
                asked.lock().unwrap().push((skip, limit));
                ready(Ok::<_, Failure>(Page {
                    items: (0..limit).collect(),
                    total: None,
                }))
            }
        };
        let (items, error) = drain(paginate(pager(0, 3), fetch, facts)).await;
        assert_eq!(items, [0, 1, 2], "the repeated page is not yielded");
        assert_eq!(error, Some(paging(PagingError::RepeatedPage { offset: 3 })));
        assert_eq!(*asked.lock().unwrap(), [(0, 3), (3, 3)]);
    }

    #[tokio::test]
    async fn the_page_cap_ends_the_stream_with_an_error_without_another_request() {
        let asked = Asked::default();
        let capped = Pager {
            max_pages: 3,
            ..pager(0, 2)
        };
        let pages = paginate(capped, server(u64::MAX, 2, false, asked.clone()), facts);
        let (items, error) = drain(pages).await;
        assert_eq!(items, (0..6).collect::<Vec<_>>());
        assert_eq!(error, Some(paging(PagingError::TooManyPages { pages: 3 })));
        assert_eq!(*asked.lock().unwrap(), [(0, 2), (2, 2), (4, 2)]);

        // A stream that ends within the cap does not fail.
        let asked = Asked::default();
        let pages = paginate(capped, server(6, 2, true, asked.clone()), facts);
        assert_eq!(drain(pages).await, ((0..6).collect(), None));
    }

    #[tokio::test]
    async fn the_pages_stream_yields_each_whole_page_and_the_empty_one_that_ends_it() {
        let asked = Asked::default();
        let pages: Vec<Result<Page, Failure>> =
            paginate(pager(0, 4), server(6, 4, false, asked.clone()), facts)
                .collect()
                .await;
        let pages: Vec<Page> = pages.into_iter().map(Result::unwrap).collect();
        assert_eq!(
            pages,
            [
                Page {
                    items: vec![0, 1, 2, 3],
                    total: None
                },
                Page {
                    items: vec![4, 5],
                    total: None
                },
                Page {
                    items: vec![],
                    total: None
                },
            ]
        );

        // With a total, the page that reaches it is the last.
        let pages: Vec<Result<Page, Failure>> =
            paginate(pager(0, 4), server(6, 4, true, Asked::default()), facts)
                .collect()
                .await;
        assert_eq!(pages.len(), 2);
    }

    #[tokio::test]
    async fn an_error_is_yielded_and_ends_the_stream() {
        let calls = Arc::new(Mutex::new(0));
        let seen = calls.clone();
        let fetch = move |skip: u64, _| {
            *seen.lock().unwrap() += 1;
            ready(if skip == 0 {
                Ok(Page {
                    items: vec![1, 2],
                    total: None,
                })
            } else {
                Err(Failure::Call("page two failed".to_owned()))
            })
        };
        let (items, error) = drain(paginate(pager(0, 2), fetch, facts)).await;
        assert_eq!(items, [1, 2]);
        assert_eq!(error, Some(Failure::Call("page two failed".to_owned())));
        assert_eq!(*calls.lock().unwrap(), 2);
    }

    #[test]
    fn a_fingerprint_tells_pages_apart_by_their_items() {
        let page = |items: &[&str]| PageFacts::new(items, None).fingerprint;
        assert_eq!(page(&["a", "b"]), page(&["a", "b"]));
        assert_ne!(page(&["a", "b"]), page(&["b", "a"]));
        assert_ne!(page(&["ab"]), page(&["a", "b"]));
        // Items that cannot be written as JSON have none, and never count as repeated.
        let unwritable = [std::collections::BTreeMap::from([((1, 2), 3)])];
        assert_eq!(PageFacts::new(&unwritable, None).fingerprint, None);
    }

    #[test]
    fn paging_numbers_read_and_write_every_shape() {
        let mut text = String::from("20");
        assert_eq!(text.page_number(), Some(20));
        text.set_page_number(40);
        assert_eq!(text, "40");
        let mut unset: Option<i64> = None;
        assert_eq!(unset.page_number(), None);
        unset.set_page_number(7);
        assert_eq!(unset, Some(7));
        assert_eq!((-1_i32).page_number(), None);
    }
}
