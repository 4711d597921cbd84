//! Emits `src/client.rs`: the crate's `Client`, which wraps the runtime's and carries this crate's
//! operations (`client.calls()`, in `services`), and its builder. The runtime does the work; this
//! names the defaults (base URL, user agent) and lets `ClientBuilder::build` return this client.

use super::paths::RUNTIME;
use proc_macro2::TokenStream;
use quote::quote;

/// `src/client.rs` of the crate `lib` (`telnyx_call_control`), for its doc examples.
pub fn emit(lib: &str, package: &str) -> TokenStream {
    let user_agent = format!("{package}-rust/");
    let example = [
        "```no_run".to_owned(),
        format!("# async fn run() -> Result<(), {lib}::Error> {{"),
        "use std::time::Duration;".to_owned(),
        format!("use {lib}::Client;"),
        String::new(),
        "// Reads TELNYX_API_KEY (and TELNYX_BASE_URL, if set).".to_owned(),
        "let client = Client::from_env()?;".to_owned(),
        String::new(),
        "// Or configure it explicitly.".to_owned(),
        "let client = Client::builder()".to_owned(),
        "    .api_key(\"KEY...\")".to_owned(),
        "    .timeout(Duration::from_secs(10))".to_owned(),
        "    .max_retries(3)".to_owned(),
        "    .build()?;".to_owned(),
        String::new(),
        "// Any endpoint, typed or not, with the same auth, retries and errors.".to_owned(),
        "let balance: serde_json::Value = client".to_owned(),
        format!("    .request::<_, ()>({lib}::reqwest::Method::GET, \"/balance\", None)"),
        "    .await?;".to_owned(),
        "# let _ = balance;".to_owned(),
        "# Ok(())".to_owned(),
        "# }".to_owned(),
        "```".to_owned(),
    ];
    let example = example.iter().map(|line| {
        let line = if line.is_empty() {
            String::new()
        } else {
            format!(" {line}")
        };
        quote!(#[doc = #line])
    });
    quote! {
        //! The client: the runtime's, with this crate's operations and defaults.

        /// A Telnyx API client: this crate's operations (`client.calls()`, ...), with authentication,
        /// timeouts, retries and errors for each.
        ///
        /// Cloning is cheap and clones share one connection pool, so create one client and pass it
        /// around. Requests run on Tokio and need its time driver (on by default with
        /// `#[tokio::main]`), which enforces per-attempt timeouts and waits between retries.
        ///
        #( #example )*
        #[derive(Clone)]
        pub struct Client {
            runtime: #RUNTIME::Client,
        }

        /// Configures a [`Client`]; start from [`Client::builder`].
        pub type ClientBuilder = #RUNTIME::ClientBuilder<Client>;

        impl Client {
            /// A client with the given API key and default settings.
            ///
            /// Fails only if the key is not a valid header value or the HTTP client cannot start.
            pub fn new(api_key: impl ::std::convert::Into<::std::string::String>) -> ::std::result::Result<Self, crate::Error> {
                Self::builder().api_key(api_key).build()
            }

            /// A client configured from the environment: `TELNYX_API_KEY` (required) and
            /// `TELNYX_BASE_URL` (optional override of [`DEFAULT_BASE_URL`](crate::DEFAULT_BASE_URL)).
            pub fn from_env() -> ::std::result::Result<Self, crate::Error> {
                ClientBuilder::from_env()?.build()
            }

            /// A builder to configure every setting.
            pub fn builder() -> ClientBuilder {
                ClientBuilder::new()
            }

            /// A request to any endpoint, for operations this crate does not cover.
            ///
            /// `path` is relative to the base URL (a leading `/` is added if missing) and must already
            /// be percent-encoded: use [`encode_path_segment`](crate::encode_path_segment) for path
            /// parameters. The request has the same authentication, retries and errors as the typed
            /// operations; await it for the decoded body, or use
            /// [`RequestBuilder::send_with_response`](crate::RequestBuilder::send_with_response).
            pub fn request<T, B>(
                &self,
                method: crate::reqwest::Method,
                path: &str,
                body: ::std::option::Option<&B>,
            ) -> crate::RequestBuilder<T>
            where
                T: ::serde::de::DeserializeOwned,
                B: ::serde::Serialize + ?Sized,
            {
                self.runtime.request(method, path, body)
            }

            /// The base URL requests are sent to.
            pub fn base_url(&self) -> &str {
                self.runtime.base_url()
            }

            /// The default time allowed for one attempt.
            pub fn timeout(&self) -> ::std::time::Duration {
                self.runtime.timeout()
            }

            /// The default number of retries after the first attempt.
            pub fn max_retries(&self) -> u32 {
                self.runtime.max_retries()
            }

            /// The runtime's client, which the operations send with (none are compiled when every
            /// service's feature is off).
            #[allow(dead_code)]
            pub(crate) fn runtime(&self) -> &#RUNTIME::Client {
                &self.runtime
            }
        }

        impl ::std::convert::From<#RUNTIME::Client> for Client {
            fn from(runtime: #RUNTIME::Client) -> Self {
                Client { runtime }
            }
        }

        /// The runtime's client inside, for what works on any Telnyx client.
        impl ::std::convert::AsRef<#RUNTIME::Client> for Client {
            fn as_ref(&self) -> &#RUNTIME::Client {
                &self.runtime
            }
        }

        impl #RUNTIME::Api for Client {
            const DEFAULT_BASE_URL: &'static str = crate::DEFAULT_BASE_URL;
            const USER_AGENT: &'static str = ::std::concat!(#user_agent, ::std::env!("CARGO_PKG_VERSION"));
        }

        impl ::std::fmt::Debug for Client {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                ::std::fmt::Debug::fmt(&self.runtime, f)
            }
        }
    }
}
