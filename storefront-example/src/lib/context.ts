import { createContext, useContext } from "react";
import type { Brand } from "./brand";
import type { Session } from "./session";
import type { ViewerFragment } from "../generated/graphql";

export const BrandContext = createContext<Brand>(null as unknown as Brand);
export const SessionContext = createContext<Session>(null as unknown as Session);

export type Right =
  | "PLACE_ORDERS"
  | "REQUEST_ORDERS"
  | "APPROVE_ORDERS"
  | "VIEW_FINANCES"
  | "VIEW_COMPANY_ORDERS"
  | "MANAGE_USERS"
  | "MANAGE_GROUPS"
  | "MANAGE_COMPANY";

export interface ViewerInfo {
  /** null: nobody logged in. */
  me: ViewerFragment | null;
  loading: boolean;
  can(right: Right): boolean;
  /** May use a cart: PLACE_ORDERS or REQUEST_ORDERS. */
  mayOrder: boolean;
  /** Checkout makes a binding order (PLACE_ORDERS), else a proposal for approval. */
  ordersAreBinding: boolean;
  refetch(): void;
}

export const ViewerContext = createContext<ViewerInfo>({
  me: null,
  loading: false,
  can: () => false,
  mayOrder: false,
  ordersAreBinding: false,
  refetch: () => undefined,
});

export const useBrand = () => useContext(BrandContext);
export const useSession = () => useContext(SessionContext);
export const useViewer = () => useContext(ViewerContext);

/** Lists that may be empty name their type, so mutations returning one refetch them. */
export const CART_CONTEXT = { additionalTypenames: ["CartLine"] };
export const ORDER_CONTEXT = { additionalTypenames: ["Order"] };
