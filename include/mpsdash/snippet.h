/* The Embedded Signup launch code (FB.login with extras.setup.solutionID) for a solution. */
#ifndef MPSDASH_SNIPPET_H
#define MPSDASH_SNIPPET_H

/* Returns a new string holding valid JavaScript: the launch method of the Embedded Signup code
 * (Meta's MPS guide, "Step 5: Configure Embedded Signup") with extras.setup.solutionID set to
 * solution_id and config_id set to config_id, or to a '<CONFIGURATION_ID>' placeholder when
 * config_id is NULL or empty. Both ids are escaped for a single-quoted JS string literal and
 * the result is printable ASCII plus newlines, whatever bytes the ids hold. The caller frees. */
char *snippet_embedded_signup(const char *solution_id, const char *config_id);

/* Escapes s (UTF-8; invalid bytes become U+FFFD) for the inside of a JS string literal: quotes,
 * backslash, controls, '<', '>', '&' and every non-ASCII code point become \xHH / \uXXXX
 * escapes, so the literal is safe in a <script> block and on a terminal. The caller frees. */
char *snippet_js_escape(const char *s);

#endif
