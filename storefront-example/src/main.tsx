import "@fontsource-variable/inter";
import "./styles.css";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./App";
import { apiUrls, applyBrand, pickBrand } from "./lib/brand";
import { Session } from "./lib/session";

const brand = pickBrand();
applyBrand(brand);
const urls = apiUrls(brand);
const session = new Session(`pressroom.${brand.id}.session`, urls.http);

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <App brand={brand} session={session} urls={urls} />
  </StrictMode>,
);
