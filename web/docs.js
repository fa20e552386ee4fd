// @ts-check
// The interactive API reference, from /openapi.json, with Swagger UI served from node_modules.
window.addEventListener('DOMContentLoaded', () => {
  /** @type {any} */ (window).SwaggerUIBundle({ url: '/openapi.json', dom_id: '#swagger-ui', deepLinking: true, tryItOutEnabled: true });
});
