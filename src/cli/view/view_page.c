/* --html: the page (view_page.html here, compiled in as view_page_html by mk/build.mk) with
 * the decode embedded as JSON where the template has the line DATA in a comment. */
#include <string.h>

#include "view.h"

extern const char *const view_page_html[]; /* the template's lines, NULL-terminated */

void view_page(const VBuf *sentences, VBuf *out) {
    for (const char *const *line = view_page_html; *line; line++) {
        if (strcmp(*line, "/*DATA*/\n") != 0) {
            vb_puts(out, *line);
            continue;
        }
        vb_printf(out, "{\"version\":\"%s\",\"sentences\":[", ANUVAD_VERSION);
        /* Inside <script> the text "</" could end the element (a sentence may hold
         * "</script>"); "<\/" is the same JSON string. */
        const char *p = sentences->p ? sentences->p : "", *q;
        while ((q = strstr(p, "</"))) {
            vb_put(out, p, (size_t)(q - p));
            vb_puts(out, "<\\/");
            p = q + 2;
        }
        vb_puts(out, p);
        vb_puts(out, "]}\n");
    }
}
