// The small C surface qlp needs from ncursesw.
//
// SwiftPM drops pkg-config's -D flags, so the wide-character API is switched on
// here. Macros (attributes, stdscr, LINES/COLS, getmaxyx) do not import into
// Swift and globals are flagged as shared mutable state in Swift 6, so each is
// wrapped as a static inline function.
#ifndef QLP_CNCURSESW_SHIM_H
#define QLP_CNCURSESW_SHIM_H

#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif

#include <locale.h>
#include <langinfo.h>
#include <stdio.h>
#include <unistd.h>
#include <wchar.h>
#include <ncursesw/curses.h>

static inline WINDOW *qlp_stdscr(void) { return stdscr; }
static inline int qlp_lines(void) { return LINES; }
static inline int qlp_cols(void) { return COLS; }
static inline int qlp_colors(void) { return COLORS; }
static inline int qlp_color_pairs(void) { return COLOR_PAIRS; }

static inline attr_t qlp_attr_normal(void) { return A_NORMAL; }
static inline attr_t qlp_attr_bold(void) { return A_BOLD; }
static inline attr_t qlp_attr_dim(void) { return A_DIM; }
static inline attr_t qlp_attr_reverse(void) { return A_REVERSE; }
static inline attr_t qlp_attr_underline(void) { return A_UNDERLINE; }

static inline int qlp_key_resize(void) { return KEY_RESIZE; }
static inline int qlp_key_code_yes(void) { return KEY_CODE_YES; }

/// Draws one grapheme (a spacing character plus up to four combining marks,
/// NUL-terminated) at (y, x) with the given attributes and colour pair.
static inline int qlp_put_grapheme(int y, int x, const wchar_t *text, attr_t attrs, int pair) {
    cchar_t cell;
    if (setcchar(&cell, text, attrs, (short)(pair > 32767 ? 0 : pair), &pair) != OK) {
        return ERR;
    }
    return mvwadd_wch(stdscr, y, x, &cell);
}

/// True when the current locale's character set is UTF-8 (after setlocale).
static inline int qlp_locale_is_utf8(void) {
    const char *codeset = nl_langinfo(CODESET);
    if (codeset == NULL) return 0;
    return (codeset[0] == 'U' || codeset[0] == 'u') &&
           (codeset[1] == 'T' || codeset[1] == 't') &&
           (codeset[2] == 'F' || codeset[2] == 'f');
}

static inline void qlp_setlocale_from_environment(void) { setlocale(LC_ALL, ""); }

/// The locale for a terminal program: everything from the environment (ncurses
/// needs LC_CTYPE for UTF-8), except numbers, which stay "C" so that strtod and
/// printf in libraries (YAML parsing, report formatting) never meet a decimal
/// comma under, say, de_DE.UTF-8.
static inline void qlp_setlocale_for_terminal(void) {
    setlocale(LC_ALL, "");
    setlocale(LC_NUMERIC, "C");
}

/// True when both stdin and stdout are terminals: the dashboard reads keys from
/// one and draws on the other.
static inline int qlp_stdio_is_terminal(void) {
    return isatty(STDIN_FILENO) && isatty(STDOUT_FILENO);
}

/// newterm on the process's stdout/stdin with TERM from the environment.
/// Unlike initscr it returns NULL for an unknown or missing TERM instead of
/// printing "Error opening terminal" and exiting. (stdout/stdin are C globals
/// that Swift 6 flags as shared mutable state, hence the wrapper.)
static inline SCREEN *qlp_newterm_stdio(void) { return newterm(NULL, stdout, stdin); }

/// True when the current terminal description can address the cursor (cup).
/// TERM=dumb passes newterm but cannot draw a dashboard. tigetstr returns
/// (char *)-1 for a name that is not a string capability.
static inline int qlp_has_cursor_addressing(void) {
    const char *cup = tigetstr("cup");
    return cup != NULL && cup != (const char *)-1;
}

/// Cells the C library (and so ncurses) gives a wide character: -1, 0, 1 or 2.
/// Glibc declares wcwidth only for X/Open, which Swift's Glibc module is not.
extern int wcwidth(wchar_t c);
static inline int qlp_wcwidth(wchar_t c) { return wcwidth(c); }

#endif
