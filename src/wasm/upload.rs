//! Uploads: the `File` goes into a `FormData`, which the browser streams from disk, so the
//! bytes never enter JS or wasm memory. Where `XMLHttpRequest` exists (documents: the
//! offscreen document, extension pages) its upload events give real byte progress; in a
//! service worker, where it does not, `fetch` sends the same body and progress is reported as
//! 0 then the total.

use js_sys::{Function, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, FormData, ProgressEvent, XmlHttpRequest};

use super::fetch::{global_fetch, read_headers, transport_error, FetchTransport};
use crate::client::{HttpRequest, HttpResponse, Progress, TransportError};

/// The multipart field the server reads the file from.
const FILE_FIELD: &str = "file";

pub(super) async fn upload(
    transport: &FetchTransport,
    request: HttpRequest,
    file: &Blob,
    file_name: &str,
    progress: Progress,
) -> Result<HttpResponse, TransportError> {
    let form = FormData::new().map_err(transport_error)?;
    form.append_with_blob_and_filename(FILE_FIELD, file, file_name)
        .map_err(transport_error)?;
    let total = file.size() as u64;
    if has_xml_http_request() {
        with_xhr(transport, &request, &form, total, progress).await
    } else {
        progress(0, total);
        let response = with_fetch(transport, request, form).await?;
        progress(total, total);
        Ok(response)
    }
}

fn has_xml_http_request() -> bool {
    Reflect::has(&js_sys::global(), &"XMLHttpRequest".into()).unwrap_or(false)
}

async fn with_fetch(
    transport: &FetchTransport,
    request: HttpRequest,
    form: FormData,
) -> Result<HttpResponse, TransportError> {
    let headers = web_sys::Headers::new().map_err(transport_error)?;
    for (name, value) in &request.headers {
        headers.append(name, value).map_err(transport_error)?;
    }
    let init = web_sys::RequestInit::new();
    init.set_method(request.method.as_str());
    init.set_headers(&headers);
    init.set_body(&form);
    init.set_signal(Some(&transport.signal()));
    let js_request =
        web_sys::Request::new_with_str_and_init(&request.url, &init).map_err(transport_error)?;
    let response: web_sys::Response = JsFuture::from(global_fetch(&js_request))
        .await
        .map_err(transport_error)?
        .dyn_into()
        .map_err(transport_error)?;
    super::fetch::whole_response(&response).await
}

async fn with_xhr(
    transport: &FetchTransport,
    request: &HttpRequest,
    form: &FormData,
    total: u64,
    progress: Progress,
) -> Result<HttpResponse, TransportError> {
    let xhr = XmlHttpRequest::new().map_err(transport_error)?;
    xhr.open_with_async(request.method.as_str(), &request.url, true)
        .map_err(transport_error)?;
    for (name, value) in &request.headers {
        xhr.set_request_header(name, value)
            .map_err(transport_error)?;
    }

    let on_progress = {
        let progress = progress.clone();
        Closure::<dyn FnMut(ProgressEvent)>::new(move |event: ProgressEvent| {
            // XHR counts the multipart body (file plus a few hundred bytes of framing); report
            // it in file bytes so `total` is the file's size, as the caller knows it.
            let body = event.total();
            let sent = if event.length_computable() && body > 0.0 {
                (event.loaded() / body * total as f64).round() as u64
            } else {
                (event.loaded() as u64).min(total)
            };
            progress(sent.min(total), total);
        })
    };
    let upload = xhr.upload().map_err(transport_error)?;
    upload.set_onprogress(Some(on_progress.as_ref().unchecked_ref()));

    // The executor runs at once, so both functions are set when `Promise::new` returns.
    let mut settle: Option<(Function, Function)> = None;
    let finished = Promise::new(&mut |resolve, reject| settle = Some((resolve, reject)));
    let Some((resolve, reject)) = settle else {
        // Unreachable: the executor runs synchronously inside `Promise::new`.
        return Err(TransportError::Network("the upload could not start".into()));
    };
    xhr.set_onload(Some(&resolve));
    let on_error = {
        let reject = reject.clone();
        Closure::<dyn FnMut()>::new(move || {
            let _ = reject.call1(&JsValue::NULL, &JsValue::from_str("network"));
        })
    };
    let on_abort = Closure::<dyn FnMut()>::new(move || {
        let _ = reject.call1(&JsValue::NULL, &JsValue::from_str("abort"));
    });
    xhr.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    xhr.set_ontimeout(Some(on_error.as_ref().unchecked_ref()));
    xhr.set_onabort(Some(on_abort.as_ref().unchecked_ref()));
    let cancel = {
        let xhr = xhr.clone();
        Closure::<dyn FnMut()>::new(move || {
            let _ = xhr.abort();
        })
    };
    let signal = transport.signal();
    let _ = signal.add_event_listener_with_callback("abort", cancel.as_ref().unchecked_ref());

    let sent = xhr.send_with_opt_form_data(Some(form));
    let outcome = match sent {
        Ok(()) => JsFuture::from(finished).await,
        Err(e) => Err(e),
    };
    let _ = signal.remove_event_listener_with_callback("abort", cancel.as_ref().unchecked_ref());
    upload.set_onprogress(None);
    xhr.set_onload(None);
    xhr.set_onerror(None);
    xhr.set_ontimeout(None);
    xhr.set_onabort(None);

    match outcome {
        Ok(_) => {}
        Err(reason) if reason.as_string().as_deref() == Some("abort") => {
            return Err(TransportError::Aborted)
        }
        Err(reason) if reason.as_string().as_deref() == Some("network") => {
            return Err(TransportError::Network(
                "the upload could not be sent".into(),
            ))
        }
        Err(reason) => return Err(transport_error(reason)),
    }
    progress(total, total);
    Ok(HttpResponse {
        status: xhr.status().map_err(transport_error)?,
        headers: read_headers(|name| xhr.get_response_header(name).ok().flatten()),
        body: xhr
            .response_text()
            .map_err(transport_error)?
            .unwrap_or_default(),
    })
}
