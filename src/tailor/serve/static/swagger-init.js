// Swagger UI over this server's own OpenAPI document; no script or style from elsewhere.
window.ui = SwaggerUIBundle({ url: "/openapi.json", dom_id: "#swagger-ui" });
