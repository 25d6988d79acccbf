//! One documented route: method, path template, summary, an example request body and the
//! errors it answers with. Every provider and the admin API keep one table of these beside
//! their route matcher; the OpenAPI document (`GET /_emulator/openapi.json`) and the 404
//! answers' "closest routes" are built from those tables, and tests hold each table to the
//! routes its matcher really has.

/// One method on one path template (`/{org}/{app}/users/{username}`), with what a client
/// sends and what it may get back.
#[derive(Debug, Clone, Copy)]
pub struct RouteDoc {
    /// `GET`, `POST`, `PUT`, `PATCH` or `DELETE`.
    pub method: &'static str,
    /// The path template, parameters in braces, as OpenAPI writes them.
    pub path: &'static str,
    /// What the route does, in one line.
    pub summary: &'static str,
    /// An example JSON request body, for the routes that read one.
    pub body: Option<&'static str>,
    /// An example of its answer (JSON), in the provider's envelope.
    pub answer: Option<&'static str>,
    /// Query parameters the route reads, by name.
    pub query: &'static [&'static str],
    /// The errors the route answers with besides the provider's common ones: HTTP status,
    /// the provider's error name or code, and what it means.
    pub errors: &'static [(u16, &'static str, &'static str)],
}

impl RouteDoc {
    /// A route without body, query or errors of its own.
    pub const fn new(method: &'static str, path: &'static str, summary: &'static str) -> Self {
        Self {
            method,
            path,
            summary,
            body: None,
            answer: None,
            query: &[],
            errors: &[],
        }
    }

    /// The same route with `example` as its request body.
    pub const fn body(mut self, example: &'static str) -> Self {
        self.body = Some(example);
        self
    }

    /// The same route with `example` as its answer.
    pub const fn answer(mut self, example: &'static str) -> Self {
        self.answer = Some(example);
        self
    }

    /// The same route reading the query parameters `names`.
    pub const fn query(mut self, names: &'static [&'static str]) -> Self {
        self.query = names;
        self
    }

    /// The same route answering `errors` too.
    pub const fn errors(mut self, errors: &'static [(u16, &'static str, &'static str)]) -> Self {
        self.errors = errors;
        self
    }

    /// The names of the path parameters, in order.
    pub fn params(&self) -> impl Iterator<Item = &'static str> {
        self.path
            .split('{')
            .skip(1)
            .filter_map(|part| part.split_once('}').map(|(name, _)| name))
    }

    /// The path with every parameter replaced by `value(name)`.
    pub fn sample(&self, value: impl Fn(&str) -> String) -> String {
        let mut out = String::with_capacity(self.path.len() + 16);
        let mut rest = self.path;
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let Some(close) = rest[open..].find('}') else {
                break;
            };
            out.push_str(&value(&rest[open + 1..open + close]));
            rest = &rest[open + close + 1..];
        }
        out.push_str(rest);
        out
    }

    /// Whether the concrete `path` fits this template (each parameter one non-empty segment
    /// part, as the matchers read them).
    pub fn matches(&self, path: &str) -> bool {
        let mut concrete = path.split('/');
        for part in self.path.split('/') {
            let Some(segment) = concrete.next() else {
                return false;
            };
            if !segment_fits(part, segment) {
                return false;
            }
        }
        concrete.next().is_none()
    }
}

/// Whether `segment` fits the template segment `part` (`{time}.gz` fits `2026120110.gz`).
fn segment_fits(part: &str, segment: &str) -> bool {
    let Some(open) = part.find('{') else {
        return part == segment;
    };
    let close = part.find('}').unwrap_or(part.len() - 1);
    let (prefix, suffix) = (&part[..open], &part[close + 1..]);
    segment.len() > prefix.len() + suffix.len()
        && segment.starts_with(prefix)
        && segment.ends_with(suffix)
}

/// One API in the OpenAPI document: a provider or the admin API, its envelopes and routes.
pub struct ApiDoc {
    /// The tag its operations carry (`easemob`, ..., `admin`).
    pub name: &'static str,
    /// How to call it: base path, credentials, envelopes.
    pub description: &'static str,
    /// Its OpenAPI security scheme (JSON), if calls need credentials.
    pub security: Option<&'static str>,
    /// JSON Schema of its answers.
    pub envelope: &'static str,
    /// JSON Schema of its error answers.
    pub error: &'static str,
    /// An error answer with `code` (name or number) and `what`, as the API gives it.
    pub error_example: fn(code: &str, what: &str) -> serde_json::Value,
    /// Errors any of its routes may answer with.
    pub common_errors: &'static [(u16, &'static str, &'static str)],
    /// Its routes, in one or several tables.
    pub routes: &'static [&'static [RouteDoc]],
}

impl ApiDoc {
    /// Every route of the API.
    pub fn all_routes(&self) -> impl Iterator<Item = &'static RouteDoc> {
        self.routes.iter().flat_map(|table| table.iter())
    }
}

#[cfg(test)]
mod tests {
    use super::RouteDoc;

    const DOC: RouteDoc = RouteDoc::new("GET", "/{org}/{app}/chatmessages/{time}.gz", "x");

    #[test]
    fn a_template_gives_its_parameters_and_samples() {
        assert_eq!(DOC.params().collect::<Vec<_>>(), ["org", "app", "time"]);
        let sample = DOC.sample(|name| format!("<{name}>"));
        assert_eq!(sample, "/<org>/<app>/chatmessages/<time>.gz");
        assert!(DOC.matches("/demo/chat/chatmessages/2026120110.gz"));
        assert!(!DOC.matches("/demo/chat/chatmessages/2026120110"));
        assert!(!DOC.matches("/demo/chat/chatmessages/.gz"));
        assert!(!DOC.matches("/demo/chat/chatmessages/1.gz/x"));
    }
}
