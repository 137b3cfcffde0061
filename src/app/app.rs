//! The root component: page layout (header, main, footer) and the client-side router. Pages
//! and components never import this module; what they share is in [`crate::app::context`].

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

use crate::app::components::error_banner::ErrorBanner;
use crate::app::components::footer::Footer;
use crate::app::components::model_picker::ModelPicker;
use crate::app::components::nav::Nav;
use crate::app::components::notice::Notice;
use crate::app::components::update_notice::UpdateNotice;
use crate::app::context::provide_app_state;
use crate::app::model;
use crate::app::pages::{
    bedside::BedsidePage, explore::ExplorePage, model::ModelPage, not_found::NotFound,
    patient::PatientPage, predict::PredictPage, recalibrate::RecalibratePage, train::TrainPage,
    upload::UploadPage,
};

/// The whole app: header with navigation and the not-a-medical-device notice, the routed
/// page, and the footer.
#[component]
pub fn App() -> impl IntoView {
    provide_app_state().restore_library();
    let bundle_error = model::seed_bundle().err();
    view! {
        <Router>
            <a class="skip-link" href="#main">"Skip to content"</a>
            <header class="site-header">
                <Nav/>
                <ModelPicker/>
                <Notice/>
            </header>
            <UpdateNotice/>
            {bundle_error.map(|e| view! { <ErrorBanner title="The model is not available">{e}</ErrorBanner> })}
            <main id="main" tabindex="-1">
                <Routes fallback=NotFound>
                    <Route path=path!("/") view=UploadPage/>
                    <Route path=path!("/explore") view=ExplorePage/>
                    <Route path=path!("/predict") view=PredictPage/>
                    <Route path=path!("/bedside") view=BedsidePage/>
                    <Route path=path!("/model") view=ModelPage/>
                    <Route path=path!("/recalibrate") view=RecalibratePage/>
                    <Route path=path!("/train") view=TrainPage/>
                    <Route path=path!("/patient/:id") view=PatientPage/>
                </Routes>
            </main>
            <Footer/>
        </Router>
    }
}
