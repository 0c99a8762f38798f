/* SPDX-License-Identifier: GPL-3.0-or-later */
/* lectures/lesson.h: the runtime every lecture shares.
 *
 * A lecture is a literate C program: its Markdown prose lives in the source,
 * in lines that begin with `///`, and the code below each block of prose
 * shows what the prose says. Running the lecture prints the lesson to the
 * terminal as it goes (prose, headings, the numbers it computes, quick ASCII
 * plots) and writes its figures into an output folder. This module gives
 * every lecture the same command line, the same look and the same
 * bookkeeping, so that a lecture file holds only its lesson.
 *
 * The prose. `make` runs lectures/prose.awk over lectureN-topic.c and writes
 * lectureN-topic.prose.h (in the build tree), an array of the `///` blocks,
 * each with the number of the source line where it ends. The lecture includes
 * it after this header and hands it to lesson_begin(). LESSON_PROSE(L) then
 * prints every block that ends above the line where the macro is written and
 * was not printed yet: "the prose above this point". The lesson therefore
 * reads in the order of the source, which is why a lecture keeps its
 * sections in the order it calls them. lesson_finish() prints what is left
 * (a closing section at the end of the file).
 *
 * Legal call order, in a lecture's main():
 *
 *   #include "lesson.h"
 *   #include "lectures/lecture7-backprop.prose.h"  // defines lecture_prose
 *
 *   static double rate = 0.1;                      // knobs hold their defaults
 *   static const lesson_option options[] = {
 *     {"rate", LESSON_DOUBLE, &rate, "learning rate", .min = 0, .max = 10},
 *     {0}
 *   };
 *
 *   lesson *L = lesson_begin(argc, argv, &(lesson_info){
 *       .number = 7, .title = "Backpropagation",
 *       .options = options, .prose = &lecture_prose});  // parses the options
 *   LESSON_PROSE(L);                                // prose above this line
 *   lesson_printf(L, "loss = %s\n", lesson_num(L, loss));
 *   nn_plot *p = lesson_plot(L, "loss-curve");      // a figure in L->out_dir
 *   ... nn_plot_series(p, ...) ...
 *   lesson_show_plot(L, p);                         // files + ASCII in the lesson
 *   nn_plot_free(p);
 *   return lesson_finish(L);                        // figure list; frees L
 *
 * Options every lecture has: --help, --seed N, --out DIR, --no-prose,
 * --quiet, --reveal, --section N, --sections, --no-figures, --version. A bad value prints "lectureN: error: ..." naming the option and
 * the value, and exits with status 2; an output folder that cannot be
 * created exits with status 1. lesson_begin() also installs a GSL error
 * handler: any GSL_ERROR (from GSL or from the nn library) prints
 * "lectureN: error: <message> (<file>:<line>)" and exits with status 1.
 * The library never exits; lectures, being programs, do.
 *
 * Checks that involve two options (say --hmin below --hmax) go right after
 * lesson_begin(), through lesson_usage_error(), which also exits with 2.
 *
 * Figures: lesson_show_plot() writes NAME.gp and NAME.dat, renders NAME.svg
 * and NAME.png, and prints the figure as text (gnuplot's dumb terminal);
 * lesson_show_graph() writes NAME.dot and renders NAME.svg. When gnuplot or
 * dot cannot be run, the lecture says so once (with the Debian package that
 * installs it), keeps writing scripts and data, and does not fail.
 *
 * One gnuplot process draws all the figures of a lesson (nn_plot_session),
 * started at the first figure. With --no-figures nothing is drawn: scripts,
 * data and .dot files are written, and the lesson says where the drawings
 * would be (a quick run, for tests and for reading).
 *
 * Output. Everything the lesson prints goes through lesson_printf() and
 * friends to L->out (standard output, or nothing with --quiet). Markdown is
 * rendered lightly: when standard output is a terminal, NO_COLOR is not set
 * and TERM is not "dumb", headings are bold and underlined, **strong** text
 * bold, *emphasis* italic and `code` coloured (a span may continue on the
 * next line of its paragraph; indented code lines are left as written);
 * otherwise, in a pipe or a file, the text is printed as written.
 *
 * Sections. Every level-1 or level-2 heading, of the prose or of the
 * program, starts a section: the title and introduction are section 0,
 * "## 1. ..." section 1, and so on, up to "Figures written". --sections
 * lists them by number; --section N prints only section N. Either way the
 * whole lesson runs, so its numbers are the same; --section still writes
 * and draws every figure, --sections draws none. A section that does not
 * exist is reported after the run (exit status 2).
 */
#ifndef NN_LESSON_H
#define NN_LESSON_H

#include <stddef.h>
#include <stdio.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_vector.h>
#include <nn/graph.h>
#include <nn/plot.h>

/* The seed when --seed is not given: every run is the same run. */
#define LESSON_DEFAULT_SEED 1UL

/* ===== Knobs ===== */

/* The kinds of value a lecture's option can take. */
typedef enum lesson_type {
  LESSON_DOUBLE,  /* value is a double *:  --at 0.5 */
  LESSON_INT,     /* value is an int *:    --epochs 20 */
  LESSON_STRING,  /* value is a const char **: --data file.csv (points into argv) */
  LESSON_CHOICE,  /* value is an int *: the index of the word in choices */
  LESSON_FLAG     /* value is an int *: set to 1 by --name; takes no value */
} lesson_type;

/* One of a lecture's options. A table of them ends with an entry whose name
 * is NULL ({0}). The variable behind value holds the default before
 * lesson_begin() and the chosen value after it. Write the first four fields
 * in order and the others by name, which also keeps -Wextra quiet:
 *
 *   {"epochs", LESSON_INT, &epochs, "passes over the data", .min = 1, .max = 1000},
 *   {"data", LESSON_CHOICE, &data, "the data set", .choices = "separable|xor"},
 *   {"trace", LESSON_FLAG, &trace, "print every step", .choices = NULL},
 *
 * A choice stores the index of the chosen word (0 for "separable"); --help
 * shows every option with its default and range. */
typedef struct lesson_option {
  const char *name;     /* long name without the dashes: "at" gives --at */
  lesson_type type;     /* what the value is */
  void *value;          /* the variable (see lesson_type); holds the default */
  const char *help;     /* one line for --help: what the knob changes */
  const char *choices;  /* LESSON_CHOICE only: the words, "sin|exp" */
  double min, max;      /* DOUBLE and INT: the accepted range [min, max],
                           checked when min < max */
} lesson_option;

/* ===== Prose ===== */

/* One block of contiguous `///` lines, as prose.awk writes it. */
typedef struct lesson_prose_block {
  int end_line;      /* source line of the block's last `///` line */
  const char *text;  /* the Markdown, `/// ` removed, one '\n' per line */
} lesson_prose_block;

/* The level of a Markdown heading line ("## Title" is 2), or 0: one rule
 * for the runtime that prints the prose and for the handout weaver that
 * finds its headings again in a lesson's output. N is the line's length. */
static inline int
lesson_heading_level(const char *line, size_t n)
{
  size_t k = 0;
  while (k < n && line[k] == '#')
    k++;
  return (k >= 1 && k <= 6 && k < n && line[k] == ' ') ? (int) k : 0;
}

/* The prose of one lecture source (see lectureN-topic.prose.h). */
typedef struct lesson_prose_text {
  const char *source;               /* the file it was taken from */
  const lesson_prose_block *blocks; /* in source order; ends with {0, NULL} */
} lesson_prose_text;

/* ===== The lesson ===== */

/* What a lecture tells lesson_begin() about itself. */
typedef struct lesson_info {
  int number;                     /* N: names the program lectureN and the
                                     default folder out/lectureN */
  const char *title;              /* "Vectors, matrices and derivatives" */
  const lesson_option *options;   /* the lecture's knobs; NULL for none */
  const lesson_prose_text *prose; /* &lecture_prose from the generated header */
} lesson_info;

typedef struct lesson_figure lesson_figure;  /* bookkeeping, in lesson.c */

/* A running lesson. Lectures read the first group of fields; the rest is the
 * runtime's own bookkeeping. */
typedef struct lesson {
  const char *name;      /* "lecture1": the prefix of every message */
  const char *title;     /* the lecture's title */
  int number;            /* the lecture's number */
  const char *out_dir;   /* the output folder (exists once lesson_begin returns) */
  unsigned long seed;    /* --seed */
  gsl_rng *rng;          /* every random draw of the lecture (MT19937, seeded) */
  FILE *out;             /* where the lesson is printed: stdout, or /dev/null */
  int prose;             /* 1: print the prose; 0 with --no-prose (headings stay) */
  int color;             /* 1: render Markdown with terminal attributes */
  int reveal;            /* 1 with --reveal: challenges print their answers */

  char program[32];                 /* storage for name */
  char *out_dir_owned;              /* storage for out_dir */
  const lesson_prose_block *blocks; /* the lecture's prose */
  size_t next_block;                /* first block not printed yet */
  int newlines;                     /* newlines the output ends with, up to 2 */
  lesson_figure *figures;           /* figures in the order they were made */
  size_t n_figures, cap_figures;
  int gnuplot, dot;                 /* -1 not asked yet, 0 missing, 1 present */
  char ring[8][96];                 /* lesson_num() and lesson_pad()'s buffers */
  unsigned ring_next;
  int draw;                         /* 0 with --no-figures and --sections */
  nn_plot_session *plots;           /* the gnuplot that draws the figures */
  int section;                      /* --section N; -1: all; -2: --sections */
  int section_now;                  /* the section being printed */
  int headings;                     /* level-1 and 2 headings seen */
  char (*section_titles)[80];       /* with --sections: the titles, by number */
  size_t cap_titles;
  const void *given[64];            /* the variables of the knobs given */
  size_t n_given;
} lesson;

/* Parse the command line, create the output folder, seed the generator and
 * install the GSL error handler; nothing is printed yet (the lecture's title
 * is the first heading of its prose). Never returns NULL: --help prints the
 * usage and exits 0, a bad option exits 2, a folder that cannot be created
 * exits 1. Free with lesson_finish(). */
lesson *lesson_begin(int argc, char **argv, const lesson_info *info);

/* 1 when the knob whose variable is VALUE was on the command line (so a
 * lecture can tell "--epochs 3" from the default 3), else 0. */
int lesson_given(const lesson *L, const void *value);

/* Print what is left of the prose and the list of figures written, then free
 * L. Returns the exit status for main: EXIT_SUCCESS, or EXIT_FAILURE when the
 * lesson could not be printed (a write error on standard output). */
int lesson_finish(lesson *L);

/* Report a problem with the command line that the option table cannot catch
 * (say --hmin above --hmax), then exit 2. printf-style; the message should
 * name the options concerned. */
void lesson_usage_error(const lesson *L, const char *fmt, ...)
  __attribute__((format(printf, 2, 3), noreturn));

/* A lesson that needs what this machine lacks (a data set): print the
 * message, which should say what is missing and how to get it, then exit
 * with LESSON_EXIT_MISSING. `make handouts` weaves the page of such a lecture
 * from its prose and code, with the message in place of the numbers. */
#define LESSON_EXIT_MISSING 3
void lesson_missing(const lesson *L, const char *fmt, ...)
  __attribute__((format(printf, 2, 3), noreturn));

/* ===== Printing ===== */

/* Print every block of prose that ends above source line LINE and was not
 * printed yet. Use the macro, which passes the line where it is written. */
void lesson_prose(lesson *L, int line);
#define LESSON_PROSE(L) lesson_prose((L), __LINE__)

/* A heading made by the program (prose has its own, in Markdown): level 1,
 * 2 or 3, like #, ## and ###. Printed even with --no-prose. */
void lesson_heading(lesson *L, int level, const char *fmt, ...)
  __attribute__((format(printf, 3, 4)));

/* printf into the lesson. */
void lesson_printf(lesson *L, const char *fmt, ...)
  __attribute__((format(printf, 2, 3)));

/* x as text with 6 significant digits and no trailing zeros ("0.540302",
 * "3.25", "1e-08"), as a person writes it: lesson_numf(L, x, 6); -0 prints as 0. Points into L: valid until eight more
 * calls of lesson_num, lesson_numf or lesson_pad, so one printf can hold up
 * to eight. Do not free. */
const char *lesson_num(lesson *L, double x);

/* x with DIGITS significant digits (1..17, clamped), no trailing zeros, -0
 * as 0: lesson_numf(L, x, 6) is what a person writes ("2.88" for the
 * 2.87999999999998 of a sum of steps), lesson_numf(L, x, 17) every digit of
 * a double ("0.30000000000000004"). Points into L like lesson_num(). */
const char *lesson_numf(lesson *L, double x, int digits);

/* TEXT followed by spaces up to WIDTH terminal columns, for tables: unlike
 * printf's %-10s it counts characters, not bytes, so "∂g/∂x_1" lines up.
 * At most 95 bytes. Points into L like lesson_num(). */
const char *lesson_pad(lesson *L, const char *text, int width);

/* "name = (v_0, v_1, ...)" on one line, numbers by lesson_num. */
void lesson_vector(lesson *L, const char *name, const gsl_vector *v);

/* "name =" then the rows of M, columns aligned, indented by two spaces. */
void lesson_matrix(lesson *L, const char *name, const gsl_matrix *M);

/* ===== Figures ===== */

/* A new gnuplot figure NAME in the output folder (nn_plot_alloc), with one
 * setting of its own: on the text terminal the key goes below the plot, so
 * that the curves keep the width of the lesson. The caller owns the figure
 * and frees it with nn_plot_free() after lesson_show_plot(). */
nn_plot *lesson_plot(lesson *L, const char *name);

/* A new Graphviz graph NAME (nn_graph_alloc), remembered by L so that
 * lesson_show_graph() knows its name. The caller frees it with nn_graph_free(). */
nn_graph *lesson_graph(lesson *L, const char *name);

/* Write the figure's .gp (its .dat is written as series are added), render
 * .svg and .png when gnuplot can be run, and record the files for the list
 * lesson_finish() prints. p stays the caller's. */
int lesson_save_plot(lesson *L, nn_plot *p);

/* lesson_save_plot(), then print the figure into the lesson as text, 78x24
 * characters (or a line saying why it cannot be drawn). */
int lesson_show_plot(lesson *L, nn_plot *p);

/* A heat map z(x_j, y_i) printed as shaded characters (nn_plot_shade_ascii:
 * " .:-=+*#%@" from the smallest value to the largest, with the ranges
 * below), under TITLE, 78 columns by 20 rows; needs no gnuplot. For the
 * same grid as gnuplot's contour map, give the figure to lesson_show_plot():
 * there a grid (nn_plot_grid) is drawn as labelled contour lines
 * (nn_plot_text_contours() sets how many). z is (y.size, x.size). */
int lesson_show_heat(lesson *L, const char *title, const gsl_vector *x,
                     const gsl_vector *y, const gsl_matrix *z);

/* Write NAME.dot for a graph made by lesson_graph() and render NAME.svg when
 * dot can be run; record the files. g stays the caller's:
 *
 *   nn_graph *g = lesson_graph(L, "neuron");
 *   nn_graph_node(g, ...); nn_graph_edge(g, ...);
 *   lesson_show_graph(L, g);
 *   nn_graph_free(g); */
int lesson_show_graph(lesson *L, nn_graph *g);

/* ===== Active learning ===== */

/* "Try it: ..." on a line of its own: what to change and what to watch, e.g.
 * lesson_try(L, "predict the final x, then run `make lecture5 ARGS='--lr 0.4'`"). */
void lesson_try(lesson *L, const char *fmt, ...)
  __attribute__((format(printf, 2, 3)));

/* A code challenge that asks before it answers: prints "Challenge: QUESTION".
 * Returns 1 when the lesson runs with --reveal, and the lecture then prints
 * the answer; otherwise says how to see it and returns 0:
 *
 *   if (lesson_challenge(L, "Where does the descent end if it starts at 0?"))
 *     lesson_printf(L, "It never moves: f'(0) = 0.\n"); */
int lesson_challenge(lesson *L, const char *question);

/* The end of a lecture: three short questions under "Check yourself", then
 * the pointer to the lecture's exercise (`make exerciseN`). */
void lesson_questions(lesson *L, const char *q1, const char *q2, const char *q3);

/* How far a long experiment is, "WHAT: DONE of TOTAL", rewritten in place on
 * standard error, and only when that is a terminal: a pipe or a file (a
 * test, a handout) never sees it. DONE == TOTAL clears the line. */
void lesson_progress(lesson *L, const char *what, size_t done, size_t total);

#endif /* NN_LESSON_H */
