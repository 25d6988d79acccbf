//! The web inspector under `/_emulator/ui/`: plain HTML, CSS and JavaScript from the repository's
//! `ui/` folder, compiled into the binary, so that it works offline with nothing to build or
//! fetch. The files hold no secrets, so they are served without the admin token; the page asks
//! for the token when the admin API wants one. `/` and `/_emulator/ui` redirect to it.

use actix_web::http::header;
use actix_web::HttpResponse;

/// The inspector's address.
pub const HOME: &str = "/_emulator/ui/";

/// Each file of the inspector: its name under [`HOME`], content type and text.
pub const FILES: &[(&str, &str, &str)] = &[
    ("index.html", HTML, include_str!("../../ui/index.html")),
    ("app.css", CSS, include_str!("../../ui/app.css")),
    ("panels.css", CSS, include_str!("../../ui/panels.css")),
    ("app.js", JS, include_str!("../../ui/app.js")),
    (
        "conversations.js",
        JS,
        include_str!("../../ui/conversations.js"),
    ),
    ("thread.js", JS, include_str!("../../ui/thread.js")),
    ("render.js", JS, include_str!("../../ui/render.js")),
    ("requests.js", JS, include_str!("../../ui/requests.js")),
    ("control.js", JS, include_str!("../../ui/control.js")),
    ("sendas.js", JS, include_str!("../../ui/sendas.js")),
    ("crypto.js", JS, include_str!("../../ui/crypto.js")),
];

const HTML: &str = "text/html; charset=utf-8";
const CSS: &str = "text/css; charset=utf-8";
const JS: &str = "text/javascript; charset=utf-8";

/// What the page may load: its own files and calls only; images and media from anywhere (a
/// message's thumbnail), never inline scripts, never framed.
const POLICY: &str = "default-src 'self'; img-src * data: blob:; media-src * data: blob:; \
                      script-src 'self'; style-src 'self'; connect-src 'self'; \
                      frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/// Whether `path` is the inspector's: `/_emulator/ui` or below it.
pub fn owns(path: &str) -> bool {
    path == "/_emulator/ui" || path.starts_with(HOME)
}

/// The file at `path`, 404 for a name the inspector does not have; GET and HEAD only.
pub fn serve(method: &actix_web::http::Method, path: &str) -> HttpResponse {
    if method != actix_web::http::Method::GET && method != actix_web::http::Method::HEAD {
        return HttpResponse::MethodNotAllowed()
            .insert_header((header::ALLOW, "GET, HEAD"))
            .finish();
    }
    let Some(name) = path.strip_prefix(HOME) else {
        return redirect();
    };
    let name = if name.is_empty() { "index.html" } else { name };
    match FILES.iter().find(|(file, ..)| *file == name) {
        Some((_, kind, text)) => HttpResponse::Ok()
            .insert_header((header::CONTENT_TYPE, *kind))
            .insert_header((header::CACHE_CONTROL, "no-cache"))
            .insert_header((header::CONTENT_SECURITY_POLICY, POLICY))
            .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
            .body(text_of(name, text)),
        None => HttpResponse::NotFound()
            .insert_header((header::CONTENT_TYPE, "text/plain; charset=utf-8"))
            .body(format!("the inspector has no file {name}")),
    }
}

/// 302 to the inspector.
pub fn redirect() -> HttpResponse {
    HttpResponse::Found()
        .insert_header((header::LOCATION, HOME))
        .finish()
}

/// The file's text: in a debug build, read from `ui/` in the source tree when it is there, so
/// that a change to the inspector shows at the next reload without a rebuild; in a release
/// build, always the text compiled in.
fn text_of(name: &str, compiled: &'static str) -> String {
    #[cfg(debug_assertions)]
    {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("ui")
            .join(name);
        if let Ok(text) = std::fs::read_to_string(path) {
            return text;
        }
    }
    let _ = name;
    compiled.to_owned()
}

#[cfg(test)]
mod tests {
    use super::FILES;

    #[test]
    fn the_whole_inspector_weighs_under_150_kb() {
        let bytes: usize = FILES.iter().map(|(_, _, text)| text.len()).sum();
        assert!(bytes < 150 * 1024, "the inspector weighs {bytes} bytes");
    }

    #[test]
    fn every_file_of_the_ui_folder_is_served() {
        let folder = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("ui");
        for file in std::fs::read_dir(folder).expect("the ui folder") {
            let name = file.expect("a file").file_name();
            let name = name.to_string_lossy();
            assert!(
                FILES.iter().any(|(served, ..)| *served == name),
                "ui/{name} is not in FILES"
            );
        }
    }
}
