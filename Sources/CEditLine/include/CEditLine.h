#ifndef WSC_CEDITLINE_H
#define WSC_CEDITLINE_H
// libedit's readline interface, loaded with dlopen by the interactive session only: pipe,
// one-shot and listen sessions never map libedit and the libraries it needs (libtinfo, libbsd,
// libmd), about 0.4 MiB of resident memory and four libraries less to load at start-up.
//
// The header is libedit's own (for its types); wsc is not linked with libedit, so calling one of
// its functions directly fails at link time. Call the wsc_ wrappers below, after
// wsc_editline_load() has succeeded.

// libedit's readline-compatible header needs stdio.h first.
#include <stdio.h>
#include <editline/readline.h>

/// Loads libedit on first call; NULL when it is (now) loaded, else why it could not be.
const char *wsc_editline_load(void);

int wsc_rl_initialize(void);
int wsc_add_history(const char *line);
void wsc_stifle_history(int max);
void wsc_rl_resize_terminal(void);
void wsc_rl_callback_read_char(void);
void wsc_rl_callback_handler_install(const char *prompt, rl_vcpfunc_t *handler);
void wsc_rl_callback_handler_remove(void);
void wsc_rl_prep_terminal(int meta);
void wsc_rl_deprep_terminal(void);
int wsc_rl_parse_and_bind(const char *line);
void wsc_rl_get_screen_size(int *rows, int *columns);
void wsc_rl_forced_update_display(void);
int wsc_rl_set_prompt(const char *prompt);
int wsc_rl_insert_text(const char *text);
char *wsc_rl_copy_text(int from, int to);
void wsc_rl_replace_line(const char *text, int clearUndo);

// libedit's variables, by address.
const char **wsc_rl_readline_name(void);
FILE **wsc_rl_instream(void);
FILE **wsc_rl_outstream(void);
char **wsc_rl_line_buffer(void);
int *wsc_rl_point(void);
int *wsc_rl_end(void);
int *wsc_rl_inhibit_completion(void);
int *wsc_rl_catch_signals(void);
int *wsc_rl_catch_sigwinch(void);
typedef int wsc_rl_getc_t(FILE *);
wsc_rl_getc_t **wsc_rl_getc_function(void);

#endif
