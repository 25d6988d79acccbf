//! The request's language, as the real server's i18n picks it (contract §3): `?lang=`, then
//! the `lang` cookie, then `Accept-Language` by preference, each matched against the nine
//! locales the site loads; `zh-CN` by default. Only the 1001 text depends on it: the other
//! messages follow the site's own language.

use actix_web::HttpRequest;

/// The locales, with their "this operation requires login" text; the first is the default.
const LOCALES: [(&str, &str); 9] = [
    ("zh-CN", "该操作需要登录，请登录后重试"),
    ("en-US", "This operation requires login, please log in and try again"),
    ("zh-TW", "此操作需要登錄，請登入後重試"),
    ("ja-JP", "この操作にはログインが必要です。ログインしてもう一度お試しください。"),
    ("ru-RU", "Для этой операции требуется вход в систему. Пожалуйста, войдите в систему и повторите попытку."),
    ("pt-BR", "Esta operação requer login, faça login e tente novamente"),
    ("id-ID", "Operasi ini memerlukan login, silakan login dan coba lagi"),
    ("fa-IR", "این عملیات نیاز به ورود به سیستم دارد، لطفا وارد شوید و دوباره امتحان کنید"),
    ("bn-BD", "এই অপারেশনের জন্য লগইন প্রয়োজন, অনুগ্রহ করে লগ ইন করুন এবং আবার চেষ্টা করুন"),
];

/// The locale `tag` names: the same tag, or the first of the same language (Traditional
/// Chinese for `zh-HK`, `zh-MO` and `zh-Hant`).
fn matching(tag: &str) -> Option<usize> {
    let tag = tag.trim().replace('_', "-").to_ascii_lowercase();
    if let Some(i) = LOCALES
        .iter()
        .position(|(l, _)| l.eq_ignore_ascii_case(&tag))
    {
        return Some(i);
    }
    if ["zh-hk", "zh-mo", "zh-hant"]
        .iter()
        .any(|t| tag.starts_with(t))
    {
        return Some(2);
    }
    let language = tag.split('-').next()?;
    LOCALES
        .iter()
        .position(|(l, _)| l.split('-').next() == Some(language))
}

/// `Accept-Language`'s tags, most preferred first.
fn preferred(header: &str) -> Vec<&str> {
    let mut tags: Vec<(&str, f32)> = header
        .split(',')
        .filter_map(|part| {
            let mut pieces = part.split(';');
            let tag = pieces.next()?.trim();
            let q = pieces
                .find_map(|p| p.trim().strip_prefix("q="))
                .map_or(1.0, |q| q.trim().parse().unwrap_or(0.0));
            (!tag.is_empty() && q > 0.0).then_some((tag, q))
        })
        .collect();
    tags.sort_by(|a, b| b.1.total_cmp(&a.1));
    tags.into_iter().map(|(t, _)| t).collect()
}

/// The "this operation requires login" text in the request's language.
pub fn login_required(
    req: &HttpRequest,
    query_lang: Option<&str>,
    cookie_lang: Option<&str>,
) -> &'static str {
    let header = req
        .headers()
        .get("accept-language")
        .and_then(|h| h.to_str().ok());
    let found = query_lang
        .and_then(matching)
        .or_else(|| cookie_lang.and_then(matching))
        .or_else(|| header.and_then(|h| preferred(h).into_iter().find_map(matching)));
    LOCALES[found.unwrap_or(0)].1
}
