//! The figures of each survey, kept between requests and brought up to date as responses
//! arrive: the console's pages and the public feed and lookup share them.

use crate::stats::{self, Stats};
use crate::store::StoreError;
use crate::Collector;
use serde_json::Value;
use std::sync::Arc;

/// Surveys whose figures are kept between requests, at most.
const CACHED_SURVEYS: usize = 32;

/// The figures of `survey`. They are kept between requests and, when responses have arrived
/// since, brought up to date by reading only those (issue #21: a busy survey made every view
/// parse every stored body). Stored responses never change and none is deleted, so the count
/// says whether anything arrived; when the count after an update disagrees with the store's,
/// everything is counted again.
pub(crate) async fn figures(c: &Collector, survey: &str) -> Result<Arc<Stats>, StoreError> {
    let now = c
        .store
        .surveys()
        .await?
        .into_iter()
        .find(|s| s.survey_id == survey)
        .map(|s| (s.responses, s.latest));
    let kept = c.figures.lock().unwrap_or_else(|p| p.into_inner()).get(survey).cloned();
    if let Some(kept) = &kept {
        if kept.at == now {
            return Ok(Arc::clone(&kept.stats));
        }
    }
    let expected = now.as_ref().map_or(0, |(n, _)| *n);
    let updated = match kept {
        Some(kept) if kept.at.is_some() => update(c, survey, &kept).await?,
        _ => None,
    };
    let counted = match updated {
        Some(counted) if counted.stats.seen() == expected => counted,
        _ => count_all(c, survey).await?,
    };
    let counted = stats::Counted { at: now, ..counted };
    let stats = Arc::clone(&counted.stats);
    let mut cache = c.figures.lock().unwrap_or_else(|p| p.into_inner());
    if cache.len() >= CACHED_SURVEYS && !cache.contains_key(survey) {
        cache.clear();
    }
    cache.insert(survey.to_owned(), Arc::new(counted));
    Ok(stats)
}

/// Adds one row to the figures, or to what is held.
fn add_row(c: &Collector, survey: &str, stats: &mut Stats, row: &crate::store::StoredRow) {
    let body: Value = serde_json::from_str(&row.body).unwrap_or(Value::Null);
    if crate::checks::is_counted(&c.surveys(), survey, &row.survey_version, &body) {
        stats.add(&row.received_at, &body);
    } else {
        stats.hold(&row.survey_version);
    }
}

/// Keeps the ids of rows within the overlap window of the latest, as rows arrive in order.
struct Window {
    latest: String,
    recent: std::collections::VecDeque<(f64, String)>,
}

impl Window {
    fn push(&mut self, row: &crate::store::StoredRow) {
        let at = stats::parse_timestamp(&row.received_at).unwrap_or(0.0);
        if row.received_at > self.latest {
            self.latest.clone_from(&row.received_at);
        }
        self.recent.push_back((at, row.response_id.clone()));
        while self.recent.front().is_some_and(|(t, _)| *t < at - stats::OVERLAP_MS) {
            self.recent.pop_front();
        }
    }

    fn into_counted(self, stats: Stats) -> stats::Counted {
        stats::Counted {
            at: None,
            stats: Arc::new(stats),
            latest: self.latest,
            recent: self.recent.into_iter().map(|(_, id)| id).collect(),
        }
    }
}

/// Counts every stored response of `survey`.
async fn count_all(c: &Collector, survey: &str) -> Result<stats::Counted, StoreError> {
    let mut stats = Stats::new(c.surveys().latest(survey));
    let mut window = Window {
        latest: String::new(),
        recent: Default::default(),
    };
    let mut rows = c.store.rows(survey.to_owned(), None).await?;
    while let Some(row) = rows.recv().await {
        let row = row?;
        add_row(c, survey, &mut stats, &row);
        window.push(&row);
    }
    stats.finish();
    Ok(window.into_counted(stats))
}

/// Adds to `kept` the responses that arrived since it was counted; `None` when it cannot tell.
async fn update(c: &Collector, survey: &str, kept: &stats::Counted) -> Result<Option<stats::Counted>, StoreError> {
    let Some(latest) = stats::parse_timestamp(&kept.latest) else {
        return Ok(None);
    };
    let since = survey_widget::core::survey::date::iso_timestamp(latest - stats::OVERLAP_MS);
    let mut stats = Stats::clone(&kept.stats);
    let mut window = Window {
        latest: kept.latest.clone(),
        recent: Default::default(),
    };
    let mut rows = c.store.rows_since(survey.to_owned(), since).await?;
    while let Some(row) = rows.recv().await {
        let row = row?;
        if !kept.recent.contains(&row.response_id) {
            add_row(c, survey, &mut stats, &row);
        }
        window.push(&row);
    }
    stats.finish();
    Ok(Some(window.into_counted(stats)))
}
