//! Streams over paged operations: the generated `*_stream` methods call the page operation
//! with a moving offset until a page comes back short.

use std::future::Future;

use futures_core::Stream;
use futures_util::StreamExt;
use futures_util::stream;

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

/// Every item of every page, from offset `skip` in pages of `limit`: `fetch(skip, limit)`
/// returns one page. The stream ends after a page shorter than `limit` (or empty), and after
/// the first error, which it yields.
pub fn paginate<'a, T, E, F, Fut>(
    skip: u64,
    limit: u64,
    fetch: F,
) -> impl Stream<Item = Result<T, E>> + Send + 'a
where
    T: Send + 'a,
    E: Send + 'a,
    F: FnMut(u64, u64) -> Fut + Send + 'a,
    Fut: Future<Output = Result<Vec<T>, E>> + Send + 'a,
{
    let limit = limit.max(1);
    stream::unfold((Some(skip), fetch), move |(next, mut fetch)| async move {
        let skip = next?;
        let page = fetch(skip, limit).await;
        let next = match &page {
            Ok(items) if items.len() as u64 >= limit => {
                Some(skip.saturating_add(items.len() as u64))
            }
            _ => None,
        };
        Some((page, (next, fetch)))
    })
    .flat_map(|page| {
        let items: Vec<Result<T, E>> = match page {
            Ok(items) => items.into_iter().map(Ok).collect(),
            Err(error) => vec![Err(error)],
        };
        stream::iter(items)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::{Arc, Mutex};

    /// A fake API of `total` numbered items; records the pages asked for.
    fn fake(
        total: u64,
        asked: Arc<Mutex<Vec<(u64, u64)>>>,
    ) -> impl FnMut(u64, u64) -> std::future::Ready<Result<Vec<u64>, String>> + Send {
        move |skip, limit| {
            asked.lock().unwrap().push((skip, limit));
            std::future::ready(Ok((skip..total.min(skip + limit)).collect()))
        }
    }

    #[tokio::test]
    async fn every_item_arrives_once_and_the_stream_stops_after_a_short_page() {
        let asked = Arc::new(Mutex::new(Vec::new()));
        let items: Vec<u64> = paginate(0, 10, fake(25, asked.clone()))
            .map(Result::unwrap)
            .collect()
            .await;
        assert_eq!(items, (0..25).collect::<Vec<_>>());
        assert_eq!(*asked.lock().unwrap(), [(0, 10), (10, 10), (20, 10)]);
    }

    #[tokio::test]
    async fn an_exact_multiple_ends_with_an_empty_page() {
        let asked = Arc::new(Mutex::new(Vec::new()));
        let count = paginate(5, 5, fake(15, asked.clone())).count().await;
        assert_eq!(count, 10);
        assert_eq!(*asked.lock().unwrap(), [(5, 5), (10, 5), (15, 5)]);
    }

    #[tokio::test]
    async fn an_error_is_yielded_and_ends_the_stream() {
        let calls = Arc::new(Mutex::new(0));
        let seen = calls.clone();
        let results: Vec<Result<u64, String>> = paginate(0, 2, move |skip, _| {
            *seen.lock().unwrap() += 1;
            std::future::ready(if skip == 0 {
                Ok(vec![1, 2])
            } else {
                Err("page two failed".to_owned())
            })
        })
        .collect()
        .await;
        assert_eq!(results.len(), 3);
        assert!(results[2].is_err());
        assert_eq!(*calls.lock().unwrap(), 2);
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
