//! Independent reads of one root field, several in one request through
//! GraphQL aliases ([`Aliased`]). Upwork's limit counts requests, not
//! fields, so ten rooms' first pages cost one request instead of ten.
//!
//! Each part's answer is handed back as the single query would have given
//! it (`{"roomStories": …}`, its errors' paths named after the field), so
//! the code that reads a page is the same either way. A server that refuses
//! the aliased document (query cost, complexity, an old gateway) gets one
//! read a request from then on; a part that alone came back null is read
//! again on its own, so its own error, if any, is the one reported.

use super::UpworkPlatform;
use crate::platform::upwork::api::client::{Answer, ApiError};
use crate::platform::upwork::api::queries::Aliased;
use serde_json::{Map, Value};
use std::sync::atomic::Ordering;

impl UpworkPlatform {
    /// Runs `calls` (each the variables of `aliased.single`), as few
    /// requests as the server allows, and answers them in order.
    pub(super) fn read_aliased(
        &self,
        aliased: &Aliased,
        calls: &[Value],
        tenant: Option<&str>,
        what: &str,
    ) -> Result<Vec<Answer>, ApiError> {
        let mut answers = Vec::with_capacity(calls.len());
        for chunk in calls.chunks(aliased.parts.max(1)) {
            let parts = if chunk.len() > 1 && !self.aliases_refused.load(Ordering::Relaxed) {
                self.read_parts(aliased, chunk, tenant, what)?
            } else {
                vec![None; chunk.len()]
            };
            for (call, part) in chunk.iter().zip(parts) {
                let answer = match part {
                    Some(answer) => answer,
                    None => self.answer(&aliased.single, call.clone(), tenant, what)?,
                };
                answers.push(answer);
            }
        }
        Ok(answers)
    }

    /// One aliased request for `calls` (at most `aliased.parts`): each part's
    /// answer, or `None` for a part to read on its own.
    fn read_parts(
        &self,
        aliased: &Aliased,
        calls: &[Value],
        tenant: Option<&str>,
        what: &str,
    ) -> Result<Vec<Option<Answer>>, ApiError> {
        let mut variables = Map::new();
        for k in 0..aliased.parts {
            // Unused aliases repeat the last read: a null filter is not
            // something real servers were seen to accept.
            let call = calls.get(k).or(calls.last());
            if let Some(Value::Object(vars)) = call {
                for (name, value) in vars {
                    variables.insert(format!("{name}{k}"), value.clone());
                }
            }
        }
        let answer = match self.answer(&aliased.batch, Value::Object(variables), tenant, what) {
            Ok(answer) => answer,
            // A refused document answers with errors and no data, or a 400.
            Err(ApiError::GraphQl { .. } | ApiError::Http { status: 400, .. }) => {
                log::info!(
                    "the aliased {} document was refused; reading one part a request",
                    aliased.batch.operation
                );
                self.aliases_refused.store(true, Ordering::Relaxed);
                return Ok(vec![None; calls.len()]);
            }
            Err(e) => return Err(e),
        };
        let field = aliased.single.field;
        Ok((0..calls.len())
            .map(|k| {
                let alias = format!("part{k}");
                let data = answer.data.get(&alias).filter(|d| !d.is_null())?;
                let mut wrapped = Map::new();
                wrapped.insert(field.to_string(), data.clone());
                Some(Answer {
                    data: Value::Object(wrapped),
                    errors: part_errors(&answer.errors, &alias, field),
                })
            })
            .collect())
    }
}

/// The errors that belong to the part under `alias`, their paths named
/// after `field` as the single query would name them; errors without a
/// path belong to every part.
fn part_errors(errors: &[String], alias: &str, field: &str) -> Vec<String> {
    let own = format!("(at {alias}");
    errors
        .iter()
        .filter_map(|error| match error.rfind("(at ") {
            None => Some(error.clone()),
            Some(at) => {
                let path = &error[at..];
                let rest = path.strip_prefix(&own)?;
                // `part1` must not claim `part10.…`.
                if !(rest.starts_with('.') || rest.starts_with(')')) {
                    return None;
                }
                Some(format!("{}(at {field}{rest}", &error[..at]))
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::part_errors;

    #[test]
    fn errors_go_to_their_part_under_the_field_name() {
        let errors = vec![
            "Cannot return null (at part1.edges.3.node)".to_string(),
            "Cannot return null (at part10.edges.0.node)".to_string(),
            "Authorization failed (at part1)".to_string(),
            "Something went wrong".to_string(),
        ];
        assert_eq!(
            part_errors(&errors, "part1", "roomStories"),
            vec![
                "Cannot return null (at roomStories.edges.3.node)",
                "Authorization failed (at roomStories)",
                "Something went wrong",
            ]
        );
        assert_eq!(
            part_errors(&errors, "part10", "roomStories"),
            vec![
                "Cannot return null (at roomStories.edges.0.node)",
                "Something went wrong",
            ]
        );
        assert_eq!(
            part_errors(&errors, "part2", "roomStories"),
            vec!["Something went wrong"]
        );
    }
}
