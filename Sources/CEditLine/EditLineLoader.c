// Loads libedit at run time: see include/CEditLine.h.
#include "CEditLine.h"

#include <dlfcn.h>
#include <stddef.h>

// The sonames to try: Debian and Ubuntu, then Fedora and others.
static const char *const libraryNames[] = {"libedit.so.2", "libedit.so.0", "libedit.so"};

static void *library;

// Every symbol, with the type libedit's header gives it.
#define WSC_EDITLINE_SYMBOLS(X) \
    X(rl_initialize) X(add_history) X(stifle_history) X(rl_resize_terminal) \
    X(rl_callback_read_char) X(rl_callback_handler_install) X(rl_callback_handler_remove) \
    X(rl_prep_terminal) X(rl_deprep_terminal) X(rl_parse_and_bind) X(rl_get_screen_size) \
    X(rl_forced_update_display) X(rl_set_prompt) X(rl_insert_text) X(rl_copy_text) X(rl_replace_line) \
    X(rl_readline_name) X(rl_instream) X(rl_outstream) X(rl_line_buffer) X(rl_point) X(rl_end) \
    X(rl_inhibit_completion) X(rl_catch_signals) X(rl_catch_sigwinch) X(rl_getc_function)

#define WSC_DECLARE(name) static __typeof__(name) *loaded_##name;
WSC_EDITLINE_SYMBOLS(WSC_DECLARE)

const char *wsc_editline_load(void) {
    if (library != NULL) return NULL;
    void *handle = NULL;
    for (size_t i = 0; i < sizeof libraryNames / sizeof libraryNames[0] && handle == NULL; i++) {
        handle = dlopen(libraryNames[i], RTLD_NOW | RTLD_LOCAL);
    }
    if (handle == NULL) return "cannot load libedit (libedit.so.2): install libedit2";
#define WSC_LOAD(name) \
    loaded_##name = (__typeof__(name) *)dlsym(handle, #name); \
    if (loaded_##name == NULL) { dlclose(handle); return "libedit has no " #name; }
    WSC_EDITLINE_SYMBOLS(WSC_LOAD)
    library = handle;
    return NULL;
}

int wsc_rl_initialize(void) { return loaded_rl_initialize(); }
int wsc_add_history(const char *line) { return loaded_add_history(line); }
void wsc_stifle_history(int max) { loaded_stifle_history(max); }
void wsc_rl_resize_terminal(void) { loaded_rl_resize_terminal(); }
void wsc_rl_callback_read_char(void) { loaded_rl_callback_read_char(); }
void wsc_rl_callback_handler_install(const char *prompt, rl_vcpfunc_t *handler) {
    loaded_rl_callback_handler_install(prompt, handler);
}
void wsc_rl_callback_handler_remove(void) { loaded_rl_callback_handler_remove(); }
void wsc_rl_prep_terminal(int meta) { loaded_rl_prep_terminal(meta); }
void wsc_rl_deprep_terminal(void) { loaded_rl_deprep_terminal(); }
int wsc_rl_parse_and_bind(const char *line) { return loaded_rl_parse_and_bind(line); }
void wsc_rl_get_screen_size(int *rows, int *columns) { loaded_rl_get_screen_size(rows, columns); }
void wsc_rl_forced_update_display(void) { loaded_rl_forced_update_display(); }
int wsc_rl_set_prompt(const char *prompt) { return loaded_rl_set_prompt(prompt); }
int wsc_rl_insert_text(const char *text) { return loaded_rl_insert_text(text); }
char *wsc_rl_copy_text(int from, int to) { return loaded_rl_copy_text(from, to); }
void wsc_rl_replace_line(const char *text, int clearUndo) { loaded_rl_replace_line(text, clearUndo); }

const char **wsc_rl_readline_name(void) { return loaded_rl_readline_name; }
FILE **wsc_rl_instream(void) { return loaded_rl_instream; }
FILE **wsc_rl_outstream(void) { return loaded_rl_outstream; }
char **wsc_rl_line_buffer(void) { return loaded_rl_line_buffer; }
int *wsc_rl_point(void) { return loaded_rl_point; }
int *wsc_rl_end(void) { return loaded_rl_end; }
int *wsc_rl_inhibit_completion(void) { return loaded_rl_inhibit_completion; }
int *wsc_rl_catch_signals(void) { return loaded_rl_catch_signals; }
int *wsc_rl_catch_sigwinch(void) { return loaded_rl_catch_sigwinch; }
wsc_rl_getc_t **wsc_rl_getc_function(void) { return loaded_rl_getc_function; }
