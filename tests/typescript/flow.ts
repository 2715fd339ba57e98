// The TypeScript client: openapi-fetch over the types openapi-typescript makes from the OpenAPI document
// (`make client-ts`). Type-checked by tsc, not run: a wrong path, body field or answer type fails the build.
import createClient from "openapi-fetch";
import type { components, paths } from "../../build/typescript-client/fastfaktura";

type Invoice = components["schemas"]["Invoice"];
type InvoiceStatus = components["schemas"]["InvoiceStatus"];
type Failure = components["schemas"]["ErrorResponse"] | components["schemas"]["ApiGatewayError"];

/** Our error JSON's message, or API Gateway's own (a throttled request, a timeout). */
function message(failure: Failure | undefined): string {
  if (failure === undefined) return "no answer";
  return "error" in failure ? failure.error.message : failure.message;
}

export async function invoiceAndSend(baseUrl: string, key: string): Promise<{ invoice: Invoice; pdf: Blob }> {
  const api = createClient<paths>({ baseUrl, headers: { "X-Api-Key": key } });
  const created = await api.POST("/api/v1/clients", { body: { name: "Fjord AS", email: "post@fjord.no" } });
  if (!created.data) throw new Error(message(created.error));
  const made = await api.POST("/api/v1/invoices", {
    body: {
      client_id: created.data.id,
      currency: "NOK",
      lines: [{ description: "Konsulent", quantity: 3, unit_price_cents: 100000, tax_rate: 25 }],
    },
  });
  if (!made.data) throw new Error(message(made.error));
  const draft: InvoiceStatus = made.data.status;
  const path = { path: { id: made.data.id } };
  const sent = await api.POST("/api/v1/invoices/{id}/send", { params: path, body: { channels: ["email", "link"] } });
  if (!sent.data) throw new Error(`${draft}: ${message(sent.error)}`);
  const pdf = await api.GET("/api/v1/invoices/{id}/pdf", { params: path, parseAs: "blob" });
  if (!pdf.data) throw new Error("no PDF");
  return { invoice: sent.data.invoice, pdf: pdf.data };
}
