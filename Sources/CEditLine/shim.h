#ifndef WSC_CEDITLINE_SHIM_H
#define WSC_CEDITLINE_SHIM_H
// libedit's readline-compatible header needs stdio.h first.
#include <stdio.h>
#include <editline/readline.h>
#endif
