//! Entry point of the wasm binary that trunk builds: mount the app on <body>.

fn main() {
    yew::Renderer::<fleetsim_web::App>::new().render();
}
