/* SPDX-License-Identifier: GPL-3.0-or-later */
/* figuretest.h: what the tests of the figure modules (nn/plot.h and
 * nn/graph.h) share.
 *
 * Both modules write files into a folder and run a program on them
 * (gnuplot, dot). Their tests write into a folder of the build tree, read
 * the files back and check them line by line, and stand small shell
 * scripts in for the program through the variable the library asks first
 * (NN_GNUPLOT, NN_DOT), which a teardown puts back after each such test:
 *
 *   out_dir = ft_out_dir("plot");          (in main; 99 when NULL)
 *   ft_env_keep("NN_GNUPLOT");
 *   ...
 *   char *gp = ft_slurp(nn_plot_path(p, "gp"));
 *   assert_has_line(gp, "set logscale y");
 *   free(gp);
 *   ...
 *   setenv("NN_GNUPLOT", ft_fake_program(out_dir, "fails", "exit 3"), 1);
 *   ...   (the test runs with ft_env_restore as its teardown)
 *   int status = ft_run_group("plot", tests, n, 4, have_gnuplot, "gnuplot",
 *                             "gnuplot-nox");  (the last 4 need gnuplot)
 *   ft_env_free();
 *   return status;
 *
 * The assertions are macros, so that a failure names the line of the test
 * that made it.
 */
#ifndef NN_FIGURETEST_H
#define NN_FIGURETEST_H

#include "nntest.h"

/* ===== The output folder ===== */

/* $NN_TOP_BUILDDIR/tests/out/SUB (tests write only into the build tree),
 * made with its parents. NULL, having said why on stderr, when it cannot be
 * made. Points into static storage. */
const char *ft_out_dir(const char *sub);

/* Remove DIR/NAME.EXT for each of EXTS (NULL-terminated): what an earlier
 * run left of the figure NAME, so that a test never sees it. */
void ft_remove(const char *dir, const char *name, const char *const *exts);

/* ===== Reading the files back ===== */

/* 1 when a file (or folder) PATH exists, else 0. */
int ft_file_exists(const char *path);

/* The whole of the file at PATH, NUL-terminated; fails the test, naming
 * PATH, when it cannot be read. The caller frees it. */
char *ft_slurp(const char *path);

/* TEXT contains LINE as one whole line. */
#define assert_has_line(text, line) \
  ft_assert_has_line((text), (line), __FILE__, __LINE__)

/* TEXT contains PART somewhere. */
#define assert_contains(text, part) \
  ft_assert_contains((text), (part), __FILE__, __LINE__)

/* The call returned NULL, and the message it reported through
 * GSL_ERROR_NULL mentions TEXT. */
#define assert_null_error(call, text)                                        \
  do {                                                                       \
    nn_test_last_error[0] = '\0';                                            \
    assert_null(call);                                                       \
    assert_contains(nn_test_last_error, (text));                             \
  } while (0)

/* The file at PATH is an SVG picture: its first element, after the XML
 * declaration, comments, a DOCTYPE and blanks, is <svg, and it is closed
 * by </svg>. */
#define assert_svg(path) ft_assert_svg((path), __FILE__, __LINE__)

/* The file at PATH is a PNG picture of some size: more than 1000 bytes,
 * beginning with the PNG signature. */
#define assert_png(path) ft_assert_png((path), __FILE__, __LINE__)

void ft_assert_has_line(const char *text, const char *line, const char *file,
                        int at);
void ft_assert_contains(const char *text, const char *part, const char *file,
                        int at);
void ft_assert_svg(const char *path, const char *file, int at);
void ft_assert_png(const char *path, const char *file, int at);

/* ===== Standing in for the program ===== */

/* A shell script DIR/NAME that runs BODY, made executable: a program to
 * stand in for gnuplot or dot, to test how failures and output are reported
 * without depending on the real one. Points into static storage: valid
 * until the next call. */
const char *ft_fake_program(const char *dir, const char *name, const char *body);

/* The tests that stand a fake program in change the environment variable
 * NAME (NN_GNUPLOT, NN_DOT). ft_env_keep(NAME) records it as the program
 * started (set or not); ft_env_restore, a cmocka teardown, puts it back
 * after each such test; ft_env_free frees the record at the end. */
void ft_env_keep(const char *name);
int ft_env_restore(void **state);
void ft_env_free(void);

/* ===== Running the tests ===== */

/* Run the N TESTS as one cmocka group called GROUP, and return the exit
 * status of the test program. The last N_RENDERING tests need the real
 * PROGRAM: when it is not available (HAVE_PROGRAM is 0) they are left out,
 * stderr says so and names the Debian PACKAGE that has it, and the status
 * is 77 (skipped) rather than a pass that was not earned. Else 0 when every
 * test passed, 1 when one failed. */
int ft_run_group(const char *group, const struct CMUnitTest *tests, size_t n,
                 size_t n_rendering, int have_program, const char *program,
                 const char *package);

#endif /* NN_FIGURETEST_H */
