/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of nn/graph.h: the .dot file (quoting, ranks, styles), rendering by
 * Graphviz's dot, and every error path.
 *
 * Diagrams go to $NN_TOP_BUILDDIR/tests/out/graph/. The tests that need the
 * dot program come last; without it the others still run, and the program
 * then exits 77 (skipped) rather than claim a pass it did not earn.
 */
#include "nntest.h"
#include "figuretest.h"

#include <stdlib.h>
#include <nn/graph.h>

/* ===== Helpers ===== */

static const char *out_dir;  /* where the diagrams go: tests/out/graph */

/* DIR/NAME.EXT in the output folder, in a static buffer (one at a time). */
static const char *
out_path(const char *name, const char *ext)
{
  static char path[4300];
  snprintf(path, sizeof path, "%s/%s.%s", out_dir, name, ext);
  return path;
}

/* The whole of NAME.EXT in the output folder (the caller frees it). */
static char *
slurp_out(const char *name, const char *ext)
{
  return ft_slurp(out_path(name, ext));
}

/* Remove what an earlier run left of the diagram NAME. */
static void
clean(const char *name)
{
  static const char *const exts[] = {"dot", "svg", "png", NULL};
  ft_remove(out_dir, name, exts);
}

/* A neuron: two inputs, a sum, an activation; with awkward text on purpose. */
static nn_graph *
neuron(const char *name)
{
  clean(name);
  nn_graph *g = nn_graph_alloc(name);
  assert_non_null(g);
  nn_graph_style in = {.shape = "circle", .fillcolor = "#cfe8ff", .rank = 0, .has_rank = 1};
  nn_graph_style sum = {.shape = "box", .rank = 1, .has_rank = 1, .penwidth = 1.5};
  nn_graph_style red = {.color = "#d55e00", .fontcolor = "#d55e00", .penwidth = 2.5};
  assert_int_equal(nn_graph_attr(g, "label", "A \"neuron\""), GSL_SUCCESS);
  assert_int_equal(nn_graph_node(g, "x \"1\"", NULL, &in), GSL_SUCCESS);
  assert_int_equal(nn_graph_node(g, "x2", "x₂", &in), GSL_SUCCESS);
  assert_int_equal(nn_graph_node(g, "back\\slash", "z = w·x + b\nsay \"hi\" \\", &sum),
                   GSL_SUCCESS);
  assert_int_equal(nn_graph_node(g, "a", "σ(z)", NULL), GSL_SUCCESS);
  assert_int_equal(nn_graph_edge(g, "x \"1\"", "back\\slash", "w₁", &red), GSL_SUCCESS);
  assert_int_equal(nn_graph_edge(g, "x2", "back\\slash", NULL, NULL), GSL_SUCCESS);
  assert_int_equal(nn_graph_edge(g, "back\\slash", "a", "", NULL), GSL_SUCCESS);
  return g;
}

/* ===== The .dot file ===== */

static void
dot_file_quotes_ids_and_labels(void **state)
{
  (void) state;
  nn_graph *g = neuron("quoting");
  assert_int_equal(nn_graph_write(g, out_dir), GSL_SUCCESS);
  char *dot = slurp_out("quoting", "dot");
  assert_has_line(dot, "digraph \"quoting\" {");
  assert_contains(dot, "rankdir=LR");
  assert_contains(dot, "fontname=\"Helvetica\"");
  assert_has_line(dot, "  graph [label=\"A \\\"neuron\\\"\"];");
  /* A node without a label shows its id. */
  assert_has_line(dot, "  \"x \\\"1\\\"\" [label=\"x \\\"1\\\"\", shape=\"circle\","
                       " fillcolor=\"#cfe8ff\", style=filled];");
  /* \ -> \\, " -> \", newline -> \n. */
  assert_has_line(dot, "  \"back\\\\slash\" [label=\"z = w·x + b\\nsay \\\"hi\\\" \\\\\","
                       " shape=\"box\", penwidth=1.5];");
  assert_has_line(dot, "  \"a\" [label=\"σ(z)\"];");
  assert_has_line(dot, "  \"x \\\"1\\\"\" -> \"back\\\\slash\" [label=\"w₁\","
                       " color=\"#d55e00\", fontcolor=\"#d55e00\", penwidth=2.5];");
  assert_has_line(dot, "  \"x2\" -> \"back\\\\slash\";");
  assert_has_line(dot, "  \"back\\\\slash\" -> \"a\" [label=\"\"];");
  assert_has_line(dot, "}");
  free(dot);
  nn_graph_free(g);
}

static void
ranks_group_nodes_into_columns(void **state)
{
  (void) state;
  clean("ranks");
  nn_graph *g = nn_graph_alloc("ranks");
  nn_graph_style r0 = {.rank = 0, .has_rank = 1}, r1 = {.rank = 1, .has_rank = 1};
  nn_graph_style r5 = {.rank = 5, .has_rank = 1};
  nn_graph_style free_neg = {.rank = -1, .has_rank = 1}, free_unset = {.rank = 1};
  /* Added out of rank order, on purpose. */
  assert_int_equal(nn_graph_node(g, "out", NULL, &r5), GSL_SUCCESS);
  assert_int_equal(nn_graph_node(g, "h1", NULL, &r1), GSL_SUCCESS);
  assert_int_equal(nn_graph_node(g, "x1", NULL, &r0), GSL_SUCCESS);
  assert_int_equal(nn_graph_node(g, "x2", NULL, &r0), GSL_SUCCESS);
  assert_int_equal(nn_graph_node(g, "h2", NULL, &r1), GSL_SUCCESS);
  assert_int_equal(nn_graph_node(g, "loose", NULL, &free_neg), GSL_SUCCESS);
  assert_int_equal(nn_graph_node(g, "other", NULL, &free_unset), GSL_SUCCESS);
  assert_int_equal(nn_graph_write(g, out_dir), GSL_SUCCESS);
  char *dot = slurp_out("ranks", "dot");
  assert_has_line(dot, "  { rank=same; \"x1\"; \"x2\"; }  // rank 0");
  assert_has_line(dot, "  { rank=same; \"h1\"; \"h2\"; }  // rank 1");
  assert_has_line(dot, "  { rank=same; \"out\"; }  // rank 5");
  /* Invisible edges keep the columns in rank order. */
  assert_has_line(dot, "  \"x1\" -> \"h1\" [style=invis];");
  assert_has_line(dot, "  \"h1\" -> \"out\" [style=invis];");
  assert_true(strstr(dot, "// rank 0") < strstr(dot, "// rank 1"));
  assert_null(strstr(dot, "; \"loose\";"));
  assert_null(strstr(dot, "; \"other\";"));
  free(dot);
  nn_graph_free(g);

  /* No ranks, no groups. */
  clean("no-ranks");
  g = nn_graph_alloc("no-ranks");
  assert_int_equal(nn_graph_node(g, "a", NULL, NULL), GSL_SUCCESS);
  assert_int_equal(nn_graph_write(g, out_dir), GSL_SUCCESS);
  dot = slurp_out("no-ranks", "dot");
  assert_null(strstr(dot, "rank=same"));
  free(dot);
  nn_graph_free(g);
}

/* ===== Errors ===== */

static void
bad_nodes_and_edges_are_refused(void **state)
{
  (void) state;
  nn_graph *g = nn_graph_alloc("errors");
  assert_int_equal(nn_graph_node(g, "x1", NULL, NULL), GSL_SUCCESS);
  assert_gsl_error(nn_graph_node(g, "x1", "again", NULL), GSL_EINVAL, "'x1' is already");
  assert_gsl_error(nn_graph_node(g, "", NULL, NULL), GSL_EINVAL, "non-empty id");
  assert_gsl_error(nn_graph_node(g, NULL, NULL, NULL), GSL_EINVAL, "non-empty id");
  assert_gsl_error(nn_graph_edge(g, "x1", "h9", NULL, NULL), GSL_EINVAL, "no node 'h9'");
  assert_gsl_error(nn_graph_edge(g, "h0", "x1", NULL, NULL), GSL_EINVAL, "no node 'h0'");
  assert_gsl_error(nn_graph_edge(g, "", "x1", NULL, NULL), GSL_EINVAL, "non-empty");
  assert_gsl_error(nn_graph_edge(g, "x1", NULL, NULL, NULL), GSL_EINVAL, "non-empty");
  nn_graph_style bad = {.penwidth = -2.0};
  assert_gsl_error(nn_graph_node(g, "y", NULL, &bad), GSL_EINVAL, "penwidth -2");
  assert_gsl_error(nn_graph_edge(g, "x1", "x1", NULL, &bad), GSL_EINVAL, "penwidth -2");
  assert_gsl_error(nn_graph_attr(g, "font size", "18"), GSL_EINVAL, "'font size'");
  assert_gsl_error(nn_graph_attr(g, "", "18"), GSL_EINVAL, "attribute name");
  assert_gsl_error(nn_graph_attr(g, "label", NULL), GSL_EINVAL, "NULL");
  assert_gsl_error(nn_graph_node(NULL, "x", NULL, NULL), GSL_EINVAL, "NULL");
  /* The refused calls left nothing behind: "y" can still be added once. */
  assert_int_equal(nn_graph_node(g, "y", NULL, NULL), GSL_SUCCESS);
  assert_gsl_error(nn_graph_node(g, "y", NULL, NULL), GSL_EINVAL, "'y'");
  assert_int_equal(nn_graph_edge(g, "x1", "x1", "a loop", NULL), GSL_SUCCESS);
  nn_graph_free(g);
  nn_graph_free(NULL);
}

static void
names_and_folders_are_checked(void **state)
{
  (void) state;
  assert_null_error(nn_graph_alloc(""), "''");
  assert_null_error(nn_graph_alloc(".dot"), "'.dot'");
  assert_null_error(nn_graph_alloc("a/b"), "'a/b'");
  assert_null_error(nn_graph_alloc("a\"b"), "not a plain file name");
  assert_null_error(nn_graph_alloc(NULL), "NULL");

  nn_graph *g = nn_graph_alloc("folders");
  assert_int_equal(nn_graph_node(g, "a", NULL, NULL), GSL_SUCCESS);
  char dir[4200], expected[4300];
  snprintf(dir, sizeof dir, "%s/no-such-folder", out_dir);
  snprintf(expected, sizeof expected, "cannot write %s/folders.dot: No such file", dir);
  assert_gsl_error(nn_graph_write(g, dir), GSL_EFAILED, expected);
  assert_gsl_error(nn_graph_write(g, NULL), GSL_EINVAL, "folder");

  /* Rendering needs the .dot file first. */
  clean("folders");
  assert_gsl_error(nn_graph_render(g, out_dir, "svg"), GSL_EINVAL, "nn_graph_write");
  assert_contains(nn_test_last_error, "folders.dot");
  assert_int_equal(nn_graph_write(g, out_dir), GSL_SUCCESS);
  assert_gsl_error(nn_graph_render(g, out_dir, "pdf"), GSL_EINVAL, "\"pdf\"");
  assert_gsl_error(nn_graph_render(g, out_dir, NULL), GSL_EINVAL, "svg");
  nn_graph_free(g);
}

/* Without dot the .dot file is still written, and rendering says why it did
 * not happen: GSL_EUNSUP, naming the program and its Debian package. */
static void
missing_dot_is_unsupported_and_the_file_stays(void **state)
{
  (void) state;
  setenv("NN_DOT", "/nonexistent/dot", 1);
  assert_int_equal(nn_graph_dot_available(), 0);
  nn_graph *g = neuron("no-dot");
  assert_int_equal(nn_graph_write(g, out_dir), GSL_SUCCESS);
  assert_gsl_error(nn_graph_render(g, out_dir, "svg"), GSL_EUNSUP, "graphviz");
  assert_contains(nn_test_last_error, "'/nonexistent/dot' (from NN_DOT)");
  assert_contains(nn_test_last_error, "no-dot.dot");
  assert_true(ft_file_exists(out_path("no-dot", "dot")));
  assert_false(ft_file_exists(out_path("no-dot", "svg")));
  nn_graph_free(g);
}

static void
failing_dot_reports_status_and_stderr(void **state)
{
  (void) state;
  setenv("NN_DOT", ft_fake_program(out_dir, "fake-dot-fails",
                                "echo 'Error: syntax error in line 3' >&2\nexit 2"), 1);
  assert_int_equal(nn_graph_dot_available(), 1);
  nn_graph *g = neuron("dot-fails");
  assert_int_equal(nn_graph_write(g, out_dir), GSL_SUCCESS);
  assert_gsl_error(nn_graph_render(g, out_dir, "svg"), GSL_EFAILED, "exit status 2");
  assert_contains(nn_test_last_error, "\n  Error: syntax error in line 3");
  nn_graph_free(g);

  /* The arguments dot receives, and the folder it runs in. */
  setenv("NN_DOT", ft_fake_program(out_dir, "fake-dot-args",
                                "[ \"$*\" = '-Tpng -Gdpi=144 -o args.png args.dot' ] || exit 9\n"
                                "[ -r args.dot ] || exit 8\n"
                                "echo drawn > args.png"), 1);
  g = neuron("args");
  assert_int_equal(nn_graph_write(g, out_dir), GSL_SUCCESS);
  assert_int_equal(nn_graph_render(g, out_dir, "png"), GSL_SUCCESS);
  nn_graph_free(g);
}

/* ===== Rendering with dot (needs the program) ===== */

static void
render_writes_svg_and_png(void **state)
{
  (void) state;
  nn_graph *g = neuron("render");
  assert_int_equal(nn_graph_write(g, out_dir), GSL_SUCCESS);
  assert_int_equal(nn_graph_render(g, out_dir, "svg"), GSL_SUCCESS);
  assert_int_equal(nn_graph_render(g, out_dir, "png"), GSL_SUCCESS);

  /* The SVG begins with its svg element (after the XML prologue). */
  assert_svg(out_path("render", "svg"));
  char *svg = slurp_out("render", "svg");
  /* dot read every id and label back as they were given. */
  assert_contains(svg, "<title>x &quot;1&quot;</title>");
  assert_contains(svg, "<title>back\\\\slash</title>");  /* the id, as dot keeps it */
  assert_contains(svg, ">z = w·x + b</text>");
  assert_contains(svg, ">say &quot;hi&quot; \\</text>");  /* a second line */
  assert_contains(svg, ">A &quot;neuron&quot;</text>");
  assert_contains(svg, "Helvetica");
  free(svg);

  assert_png(out_path("render", "png"));
  nn_graph_free(g);
}

/* The x coordinate dot gave the node titled `title` (its ellipse's cx). */
static double
node_x(const char *svg, const char *title)
{
  char key[128];
  snprintf(key, sizeof key, "<title>%s</title>", title);
  const char *p = strstr(svg, key);
  if (p == NULL)
    fail_msg("no node %s in the SVG", title);
  p = strstr(p, "cx=\"");
  assert_non_null(p);
  return strtod(p + 4, NULL);
}

/* In the drawing, nodes of one rank share a column and columns follow the
 * ranks left to right, even with no edge between them. */
static void
columns_follow_ranks_in_the_drawing(void **state)
{
  (void) state;
  clean("columns");
  nn_graph *g = nn_graph_alloc("columns");
  nn_graph_style r0 = {.rank = 0, .has_rank = 1}, r1 = {.rank = 1, .has_rank = 1};
  nn_graph_style r2 = {.rank = 2, .has_rank = 1};
  assert_int_equal(nn_graph_node(g, "c", NULL, &r2), GSL_SUCCESS);
  assert_int_equal(nn_graph_node(g, "b1", NULL, &r1), GSL_SUCCESS);
  assert_int_equal(nn_graph_node(g, "a1", NULL, &r0), GSL_SUCCESS);
  assert_int_equal(nn_graph_node(g, "a2", NULL, &r0), GSL_SUCCESS);
  assert_int_equal(nn_graph_node(g, "b2", NULL, &r1), GSL_SUCCESS);
  assert_int_equal(nn_graph_edge(g, "a2", "b2", NULL, NULL), GSL_SUCCESS);
  assert_int_equal(nn_graph_write(g, out_dir), GSL_SUCCESS);
  assert_int_equal(nn_graph_render(g, out_dir, "svg"), GSL_SUCCESS);
  char *svg = slurp_out("columns", "svg");
  double a1 = node_x(svg, "a1"), a2 = node_x(svg, "a2");
  double b1 = node_x(svg, "b1"), b2 = node_x(svg, "b2"), cc = node_x(svg, "c");
  assert_close(a1, a2, 1e-9);
  assert_close(b1, b2, 1e-9);
  assert_true(a1 < b1);
  assert_true(b1 < cc);
  free(svg);
  nn_graph_free(g);
}

int
main(void)
{
  nn_test_init();
  out_dir = ft_out_dir("graph");
  if (out_dir == NULL)
    return 99;
  ft_env_keep("NN_DOT");  /* put back after each test that changes it */
  int have_dot = nn_graph_dot_available();

  const struct CMUnitTest tests[] = {
    cmocka_unit_test(dot_file_quotes_ids_and_labels),
    cmocka_unit_test(ranks_group_nodes_into_columns),
    cmocka_unit_test(bad_nodes_and_edges_are_refused),
    cmocka_unit_test(names_and_folders_are_checked),
    cmocka_unit_test_teardown(missing_dot_is_unsupported_and_the_file_stays, ft_env_restore),
    cmocka_unit_test_teardown(failing_dot_reports_status_and_stderr, ft_env_restore),
    /* From here on the real dot is needed. */
    cmocka_unit_test(render_writes_svg_and_png),
    cmocka_unit_test(columns_follow_ranks_in_the_drawing),
  };
  /* the last 2 tests, from "here on", need dot */
  int status = ft_run_group("graph", tests, sizeof tests / sizeof tests[0], 2,
                            have_dot, "dot", "graphviz");
  ft_env_free();
  return status;
}
