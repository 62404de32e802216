//! Media: the configuration, an MXC URI made first and uploaded to after, a plain upload, and
//! downloads and thumbnails through the authenticated endpoints (`/_matrix/client/v1/media`).

use matrix_types::client_server::{
    CreateContentRequest, CreateContentResponse, GetConfigAuthedRequest, GetConfigAuthedResponse,
    GetConfigRequest, GetConfigResponse, GetContentAuthedRequest, GetContentAuthedResponse,
    GetContentOverrideNameAuthedRequest, GetContentOverrideNameAuthedResponse,
    GetContentThumbnailAuthedMethod, GetContentThumbnailAuthedRequest,
    GetContentThumbnailAuthedResponse, GetContentThumbnailAuthedResponseBodyContentType,
    UploadContentRequest, UploadContentResponse, UploadContentToMxcRequest,
    UploadContentToMxcResponse,
};
use matrix_types::{MxcUri, ServerName};

use crate::check::Run;
use crate::common::Session;

/// An 8×8 red PNG.
pub const PNG: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x08, 0x00, 0x00, 0x00, 0x08, 0x08, 0x02, 0x00, 0x00, 0x00, 0x4b, 0x6d, 0x29,
    0xdc, 0x00, 0x00, 0x00, 0x11, 0x49, 0x44, 0x41, 0x54, 0x78, 0xda, 0x63, 0x38, 0xa3, 0xa4, 0x84,
    0x15, 0x31, 0x0c, 0x2d, 0x09, 0x00, 0xbc, 0xce, 0x44, 0x01, 0x43, 0x5d, 0x0c, 0xd5, 0x00, 0x00,
    0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
];

/// What was uploaded: the image and a text file.
pub struct Uploaded {
    pub image: MxcUri,
    pub file: MxcUri,
}

pub fn run(run: &mut Run, alice: &Session, bob: &Session) -> Uploaded {
    let config = ok!(
        run.call(
            "alice: media configuration",
            &GetConfigAuthedRequest::default(),
            alice.token()
        ),
        GetConfigAuthedResponse::Ok
    );
    assert!(
        config.upload_size.is_some_and(|size| size > 0),
        "{config:?}"
    );
    ok!(
        run.call(
            "alice: media configuration (the older path)",
            &GetConfigRequest::default(),
            alice.token()
        ),
        GetConfigResponse::Ok
    );

    // An MXC URI first, the image uploaded to it after.
    let created = ok!(
        run.call(
            "alice: make an MXC URI",
            &CreateContentRequest::default(),
            alice.token()
        ),
        CreateContentResponse::Ok
    );
    let image = created.content_uri.clone();
    let server: ServerName = image.server_name().parse().unwrap();
    let mut to_mxc =
        UploadContentToMxcRequest::new(server.clone(), image.media_id().to_owned(), PNG.to_vec());
    to_mxc.content_type = Some("image/png".to_owned());
    to_mxc.filename = Some("red.png".to_owned());
    is!(
        run.call("alice: upload the image", &to_mxc, alice.token()),
        UploadContentToMxcResponse::Ok(_)
    );

    let text = b"Plain text, uploaded by the generated types.\n".to_vec();
    let file = upload(
        run,
        "alice: upload a file",
        alice,
        text.clone(),
        "text/plain",
        "notes.txt",
    );

    match run.call(
        "bob: download the file",
        &GetContentAuthedRequest::new(
            file.server_name().parse().unwrap(),
            file.media_id().to_owned(),
        ),
        bob.token(),
    ) {
        GetContentAuthedResponse::Ok {
            body, content_type, ..
        } => {
            assert_eq!(body, text);
            assert!(content_type.starts_with("text/plain"), "{content_type}");
        }
        other => run.problem(format!("downloading the file: {other:?}")),
    }
    match run.call(
        "bob: download the image under another name",
        &GetContentOverrideNameAuthedRequest::new(
            server.clone(),
            image.media_id().to_owned(),
            "renamed.png".to_owned(),
        ),
        bob.token(),
    ) {
        GetContentOverrideNameAuthedResponse::Ok {
            body,
            content_disposition,
            ..
        } => {
            assert_eq!(body, PNG);
            assert!(
                content_disposition.contains("renamed.png"),
                "{content_disposition}"
            );
        }
        other => run.problem(format!("downloading the image renamed: {other:?}")),
    }
    let mut thumbnail =
        GetContentThumbnailAuthedRequest::new(server, image.media_id().to_owned(), 4, 4);
    thumbnail.method = Some(GetContentThumbnailAuthedMethod::Scale);
    match run.call("bob: a thumbnail of the image", &thumbnail, bob.token()) {
        GetContentThumbnailAuthedResponse::Ok {
            body, content_type, ..
        } => {
            assert!(!body.is_empty());
            assert!(
                matches!(
                    content_type,
                    GetContentThumbnailAuthedResponseBodyContentType::ImagePng
                        | GetContentThumbnailAuthedResponseBodyContentType::ImageJpeg
                ),
                "{content_type:?}"
            );
        }
        other => run.problem(format!("a thumbnail: {other:?}")),
    }
    Uploaded { image, file }
}

/// Uploads `bytes` as a file of `content_type` named `filename`; its MXC URI.
pub fn upload(
    run: &mut Run,
    step: &str,
    session: &Session,
    bytes: Vec<u8>,
    content_type: &str,
    filename: &str,
) -> MxcUri {
    let mut upload = UploadContentRequest::new(bytes);
    upload.content_type = Some(content_type.to_owned());
    upload.filename = Some(filename.to_owned());
    ok!(
        run.call(step, &upload, session.token()),
        UploadContentResponse::Ok
    )
    .content_uri
    .clone()
}
