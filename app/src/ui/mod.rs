//! The screens. Every view reads the local [`Repo`]; nothing waits for the network.
//!
//! One module per feature — `records` (every kind's list, page and form, the
//! account's 360° panels, search), `sales`, `activities` (calls, my day, reminders,
//! calendars), `service` (cases), `engagement` (campaigns, consent, loyalty, special
//! days), `reports`, `settings`, `auth` and the `chrome` around them — over `widgets`,
//! the pieces they share. Features may use `widgets` and lower features, never each
//! other in a circle (`cargo xtask cycles` checks it).

mod activities;
mod auth;
mod chrome;
mod engagement;
mod navigation;
mod privacy;
mod records;
mod reports;
mod sales;
mod service;
mod settings;
mod widgets;

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;
use leptos_router::{Lazy, LazyRoute};
use saha_core::api::Me;
use wasm_bindgen::JsCast;

use crate::client::{
    describe,
    repo::Repo,
    session::{self, Start},
    sync_client,
};
pub(crate) use crate::i18n::word;
use crate::i18n::{Key, Lang};

/// How [`go`] reaches the router's navigation.
type Navigate = Rc<dyn Fn(&str)>;

thread_local! {
    static REPO: RefCell<Option<Repo>> = const { RefCell::new(None) };
    static ME: RefCell<Option<Me>> = const { RefCell::new(None) };
    static LANG: Cell<Option<RwSignal<Lang>>> = const { Cell::new(None) };
    static NAVIGATE: RefCell<Option<Navigate>> = const { RefCell::new(None) };
}

/// Opens `path` in the app. Unlike the router's hook, this works anywhere, also after an
/// `await` in a save or workflow step, where no reactive owner is current.
pub fn go(path: &str) {
    let navigate = NAVIGATE.with(|n| n.borrow().clone());
    if let Some(navigate) = navigate {
        navigate(path);
    }
}

/// Hands the router's navigation to [`go`].
#[component]
fn RouterNavigation() -> impl IntoView {
    let navigate = leptos_router::hooks::use_navigate();
    NAVIGATE.with(|n| {
        *n.borrow_mut() = Some(Rc::new(move |path: &str| {
            navigate(path, Default::default())
        }))
    });
}

/// The signed-in member, as the server described them at login (kept for offline use).
pub fn me() -> Me {
    ME.with(|m| m.borrow().clone())
        .expect("the app is mounted only for a signed-in member")
}

/// The page's repository. The app is mounted only after it opened.
pub fn repo() -> Repo {
    REPO.with(|r| r.borrow().clone())
        .expect("the repository is opened before the app is mounted")
}

const LANG_KEY: &str = "saha.lang";

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

fn initial_lang() -> Lang {
    if let Some(saved) = local_storage()
        .and_then(|s| s.get_item(LANG_KEY).ok().flatten())
        .and_then(|code| Lang::from_code(&code))
    {
        return saved;
    }
    let languages: Vec<String> = web_sys::window()
        .map(|w| {
            w.navigator()
                .languages()
                .iter()
                .filter_map(|v| v.as_string())
                .collect()
        })
        .unwrap_or_default();
    Lang::from_preferences(languages.iter().map(String::as_str))
}

/// The current language, from context.
/// The language signal: from the context, or (in event handlers and async steps, where no
/// reactive owner is current) the app's one signal.
pub fn use_lang() -> RwSignal<Lang> {
    use_context::<RwSignal<Lang>>()
        .or_else(|| LANG.with(Cell::get))
        .unwrap_or_else(|| RwSignal::new(Lang::Tr))
}

/// A reactive translation of `msg`.
pub fn tr(msg: Key) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
    let lang = use_lang();
    move || msg.text(lang.get())
}

fn register_service_worker() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let navigator = window.navigator();
    if js_sys::Reflect::has(&navigator, &"serviceWorker".into()).unwrap_or(false) {
        let promise = navigator.service_worker().register("/sw.js");
        wasm_bindgen_futures::spawn_local(async move {
            if let Err(e) = wasm_bindgen_futures::JsFuture::from(promise).await {
                leptos::logging::warn!("service worker not registered: {}", describe(&e));
            }
        });
    }
}

fn remove_boot_placeholder() {
    if let Some(boot) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("boot"))
    {
        boot.remove();
    }
}

/// Asks who is signed in, then opens that member's local store, starts sync and mounts
/// the app — or mounts the login / first-run / invitation pages.
pub fn mount() {
    register_service_worker();
    wasm_bindgen_futures::spawn_local(async {
        let lang = initial_lang();
        match session::start().await {
            Start::SignedIn { me, .. } => open_app(*me, lang).await,
            Start::SignedOut {
                needs_setup,
                offline,
            } => {
                remove_boot_placeholder();
                leptos::mount::mount_to_body(move || {
                    view! { <auth::AuthApp lang=lang needs_setup=needs_setup offline=offline /> }
                });
            }
        }
    });
}

async fn open_app(me: Me, lang: Lang) {
    let index = match me.index_url.parse::<saha_core::AutomergeUrl>() {
        Ok(url) => url.document_id(),
        Err(e) => {
            fail_to_start(lang, e.to_string());
            return;
        }
    };
    let access = saha_core::access::Access {
        role: me.role,
        teams: me.teams.clone(),
    };
    match Repo::open(&me.user_id, access, index).await {
        Ok(repo) => {
            REPO.with(|r| *r.borrow_mut() = Some(repo.clone()));
            ME.with(|m| *m.borrow_mut() = Some(me));
            sync_client::start(repo);
            remove_boot_placeholder();
            leptos::mount::mount_to_body(move || view! { <App lang=lang /> });
        }
        Err(e) => fail_to_start(lang, e.to_string()),
    }
}

fn fail_to_start(lang: Lang, error: String) {
    remove_boot_placeholder();
    leptos::mount::mount_to_body(move || {
        view! {
            <main class="page">
                <p class="banner error" role="alert">
                    {Key::StorageFailed.text(lang)} ": " {error.clone()}
                </p>
            </main>
        }
    });
}

/// Provides the language signal and keeps `<html lang>` and the saved choice in step.
fn provide_lang(lang: Lang) -> RwSignal<Lang> {
    let lang = RwSignal::new(lang);
    provide_context(lang);
    LANG.with(|l| l.set(Some(lang)));
    Effect::new(move |_| {
        let code = lang.get().code();
        if let Some(root) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.document_element())
        {
            let _ = root.set_attribute("lang", code);
        }
        if let Some(storage) = local_storage() {
            let _ = storage.set_item(LANG_KEY, code);
        }
    });
    lang
}

/// A new record of the section's kind (the form's code loads on first use).
#[component]
fn NewRecordPage() -> impl IntoView {
    view! { <navigation::KnownSection><records::form::NewRecord /></navigation::KnownSection> }
}

/// A list saved as a file (the page's code loads on first use).
#[component]
fn ListExportPage() -> impl IntoView {
    view! { <navigation::KnownSection><records::export::ListExportPage /></navigation::KnownSection> }
}

/// A record's edit form (the form's code loads on first use).
#[component]
fn EditRecordPage() -> impl IntoView {
    view! { <navigation::KnownSection><records::form::EditRecord /></navigation::KnownSection> }
}

/// Declares pages whose code is split out of the main WASM module and loaded the first
/// time one is opened: each page is a split point (`wasm_split`, what Leptos'
/// `#[lazy_route]` uses), `cargo xtask site` cuts the module there, and the service
/// worker precaches every part, so these pages open offline too. A part that cannot be
/// fetched shows [`widgets::feedback::PageNotLoaded`] instead of stopping the app (the
/// split is `fallible`; `#[lazy_route]` would panic). The screens a rep opens first —
/// my day, lists, record pages, the menu — stay in the main module; forms and search
/// load the first time they are opened (from the service worker's cache, offline too).
macro_rules! lazy_pages {
    ($($route:ident in $part:ident => $($page:ident)::+,)*) => {$(
        #[doc = concat!("The route of `", stringify!($($page)::+), "`, loaded on first use.")]
        struct $route;

        impl LazyRoute for $route {
            fn data() -> Self {
                $route
            }

            async fn view(_: Self) -> AnyView {
                #[leptos::wasm_split::wasm_split(
                    $part,
                    fallible,
                    wasm_split_path = leptos::wasm_split
                )]
                fn page() -> Result<AnyView, leptos::wasm_split::SplitLoaderError> {
                    Ok(view! { <$($page)::+ /> }.into_any())
                }
                match page().await {
                    Ok(page) => page,
                    Err(_) => view! { <widgets::feedback::PageNotLoaded /> }.into_any(),
                }
            }
        }
    )*};
}

lazy_pages! {
    SearchRoute in page_search => records::search::SearchPage,
    NewRecordRoute in page_new_record => NewRecordPage,
    EditRecordRoute in page_edit_record => EditRecordPage,
    ListExportRoute in page_list_export => ListExportPage,
    PipelineRoute in page_pipeline => sales::pipeline::PipelineBoard,
    LeadConversionRoute in page_lead_conversion => sales::conversion::LeadConversionPage,
    SettingsRoute in page_settings => settings::SettingsPage,
    MembersRoute in page_members => settings::members::MembersPage,
    AuditRoute in page_audit => settings::audit::AuditPage,
    PipelineSettingsRoute in page_pipeline_settings => settings::pipeline::PipelinePage,
    ServiceSettingsRoute in page_service_settings => settings::service::ServiceSettingsPage,
    CompanySettingsRoute in page_company_settings => settings::company::CompanySettingsPage,
    BinRoute in page_bin => settings::bin::BinPage,
    ImportRoute in page_import => settings::import::ImportPage,
    DuplicatesRoute in page_duplicates => settings::duplicates::DuplicatesPage,
    ApiTokensRoute in page_api_tokens => settings::api_tokens::ApiTokensPage,
    WebFormsRoute in page_web_forms => settings::web_forms::WebFormsPage,
    ConsentsRoute in page_consents => engagement::consent::ConsentsPage,
    PrivacyRoute in page_privacy => privacy::access::PersonalDataPage,
    PrivacyRequestsRoute in page_privacy_requests => privacy::requests::PrivacyRequestsPage,
    SpecialDaysRoute in page_special_days => engagement::special_days::SpecialDays,
    LoyaltyRoute in page_loyalty => engagement::loyalty::LoyaltyPage,
    SurveysRoute in page_surveys => engagement::surveys::SurveysPage,
    CalendarRoute in page_calendar => activities::calendar::CalendarPage,
    ServiceReportRoute in page_service_report => reports::service::ServiceReport,
    ProfitReportRoute in page_profit_report => reports::profit::ProfitReportPage,
    CustomersReportRoute in page_customers_report => reports::customers::CustomersReportPage,
    DemandReportRoute in page_demand_report => reports::demand::DemandReportPage,
    PerformanceRoute in page_performance => reports::performance::PerformancePage,
}

#[component]
fn App(lang: Lang) -> impl IntoView {
    provide_lang(lang);
    view! {
        <Router>
            <RouterNavigation />
            <SearchShortcut />
            <chrome::Header />
            <chrome::StorageBanner />
            <chrome::SessionBanner />
            <chrome::RefusalBanner />
            <activities::calls::CallPrompt />
            <activities::reminders::Reminders />
            <widgets::toast::ToastRegion>
            <div class="frame">
            <navigation::Rail />
            <main id="main">
                <Routes fallback=|| view! { <widgets::feedback::NotFound /> }>
                    <Route path=path!("/") view=|| view! { <leptos_router::components::Redirect path="/today" /> } />
                    <Route path=path!("/menu") view=navigation::MenuPage />
                    <Route path=path!("/pipeline") view={Lazy::<PipelineRoute>::new()} />
                    <Route path=path!("/search") view={Lazy::<SearchRoute>::new()} />
                    <Route path=path!("/settings") view={Lazy::<SettingsRoute>::new()} />
                    <Route path=path!("/settings/members") view={Lazy::<MembersRoute>::new()} />
                    <Route path=path!("/settings/audit") view={Lazy::<AuditRoute>::new()} />
                    <Route path=path!("/settings/pipeline") view={Lazy::<PipelineSettingsRoute>::new()} />
                    <Route path=path!("/settings/service") view={Lazy::<ServiceSettingsRoute>::new()} />
                    <Route path=path!("/settings/company") view={Lazy::<CompanySettingsRoute>::new()} />
                    <Route path=path!("/settings/bin") view={Lazy::<BinRoute>::new()} />
                    <Route path=path!("/settings/import") view={Lazy::<ImportRoute>::new()} />
                    <Route path=path!("/settings/duplicates") view={Lazy::<DuplicatesRoute>::new()} />
                    <Route path=path!("/settings/api") view={Lazy::<ApiTokensRoute>::new()} />
                    <Route path=path!("/settings/forms") view={Lazy::<WebFormsRoute>::new()} />
                    <Route path=path!("/settings/privacy") view={Lazy::<PrivacyRequestsRoute>::new()} />
                    <Route path=path!("/today") view=activities::my_day::MyDay />
                    <Route path=path!("/consents") view={Lazy::<ConsentsRoute>::new()} />
                    <Route path=path!("/privacy/:id") view={Lazy::<PrivacyRoute>::new()} />
                    <Route path=path!("/special-days") view={Lazy::<SpecialDaysRoute>::new()} />
                    <Route path=path!("/loyalty") view={Lazy::<LoyaltyRoute>::new()} />
                    <Route path=path!("/surveys") view={Lazy::<SurveysRoute>::new()} />
                    <Route path=path!("/calendar") view={Lazy::<CalendarRoute>::new()} />
                    <Route path=path!("/reports/service") view={Lazy::<ServiceReportRoute>::new()} />
                    <Route path=path!("/reports/profit") view={Lazy::<ProfitReportRoute>::new()} />
                    <Route path=path!("/reports/customers") view={Lazy::<CustomersReportRoute>::new()} />
                    <Route path=path!("/reports/demand") view={Lazy::<DemandReportRoute>::new()} />
                    <Route path=path!("/reports/performance") view={Lazy::<PerformanceRoute>::new()} />
                    <Route path=path!("/leads/:id/convert") view={Lazy::<LeadConversionRoute>::new()} />
                    <Route path=path!("/:section") view=|| view! { <navigation::KnownSection><records::list::RecordList /></navigation::KnownSection> } />
                    <Route path=path!("/:section/new") view={Lazy::<NewRecordRoute>::new()} />
                    <Route path=path!("/:section/export") view={Lazy::<ListExportRoute>::new()} />
                    <Route path=path!("/:section/:id") view=|| view! { <navigation::KnownSection><records::detail::RecordDetail /></navigation::KnownSection> } />
                    <Route path=path!("/:section/:id/edit") view={Lazy::<EditRecordRoute>::new()} />
                </Routes>
            </main>
            </div>
            </widgets::toast::ToastRegion>
            <navigation::TabBar />
        </Router>
    }
}

/// Ctrl/Cmd+K opens global search and focuses its field, from any page.
#[component]
fn SearchShortcut() -> impl IntoView {
    let navigate = leptos_router::hooks::use_navigate();
    let keydown = window_event_listener(leptos::ev::keydown, move |ev| {
        if (ev.ctrl_key() || ev.meta_key()) && ev.key().eq_ignore_ascii_case("k") {
            ev.prevent_default();
            navigate("/search", Default::default());
            // The field exists once the page has rendered.
            wasm_bindgen_futures::spawn_local(async {
                gloo_timers::future::TimeoutFuture::new(0).await;
                if let Some(input) = web_sys::window()
                    .and_then(|w| w.document())
                    .and_then(|d| d.get_element_by_id("global-search"))
                    .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
                {
                    let _ = input.focus();
                }
            });
        }
    });
    on_cleanup(move || keydown.remove());
}
