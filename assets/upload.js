/*
 * The import page: the moment a new file is dropped, the previous file's report, preview and confirmation
 * go away, before the server answers. Whatever the server then says (a report, a refusal, or no answer at
 * all: a request too large is cut short by the server), « Confirmer l'import » never confirms the
 * previous file. A file over the size limit is refused here in French without being sent.
 */
window.dash_clientside = Object.assign({}, window.dash_clientside, {
    cpamUpload: {
        reset: function (contents, filename, limit) {
            var noUpdate = window.dash_clientside.no_update;
            if (!contents) {
                return [noUpdate, true, null];
            }
            var name = typeof filename === "string" ? filename : "";
            var mebibytes = String(Math.round((limit || 0) / 1048576 * 10) / 10).replace(".", ",");
            var payload = contents.length - contents.indexOf(",") - 1;
            var tooBig = limit && payload * 3 / 4 > limit;
            var text = tooBig
                ? "« " + name + " » dépasse la limite de " + mebibytes + " Mio : il n'a pas été envoyé. "
                    + "Découpez le fichier puis déposez chaque partie."
                : "Vérification de « " + name + " » en cours…";
            var alert = {
                namespace: "dash_html_components",
                type: "Div",
                props: {
                    children: text,
                    className: tooBig ? "alert alert-danger" : "alert alert-secondary",
                    role: tooBig ? "alert" : "status"
                }
            };
            return [alert, true, null];
        }
    }
});
