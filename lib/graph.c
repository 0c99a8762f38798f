/* SPDX-License-Identifier: GPL-3.0-or-later */
/* graph.c: diagrams for Graphviz (see nn/graph.h).
 *
 * A graph is held in memory as its nodes and edges, in the order they were
 * added, and written in one go as a .dot file:
 *
 *   digraph "NAME" {
 *     graph [rankdir=LR, ...];  node [...];  edge [...];   house style
 *     graph [label="..."];                                 nn_graph_attr()
 *     "x1" [label="x₁", shape="circle"];                   the nodes
 *     { rank=same; "x1"; "x2"; }                           one column per rank
 *     "x1" -> "h" [label="w₁"];                            the edges
 *   }
 *
 * Every identifier and label is written as a quoted dot string, so any text
 * is safe: only the quote and the backslash need escaping. A node is found
 * by a linear search over the nodes; diagrams drawn for people to read have
 * tens of nodes, not thousands.
 */
#include <config.h>

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <gsl/gsl_errno.h>

#include <nn/graph.h>
#include "spawn.h"

static const nn_spawn_program dot_program = {
  "dot", "NN_DOT", NN_DOT_PROGRAM, "graphviz"
};

/* A style with its strings copied: the graph owns them. */
struct owned_style {
  char *shape, *color, *fillcolor, *fontcolor;
  double penwidth;
  int rank, has_rank;
};

struct node {
  char *id;     /* unique, not empty */
  char *label;  /* plain text */
  struct owned_style style;
};

struct edge {
  size_t from, to;  /* indices into nodes */
  char *label;      /* plain text or NULL */
  struct owned_style style;
};

struct attr {
  char *key, *value;
};

struct nn_graph {
  char *name;                  /* the file stem */
  struct attr *attrs;          /* graph attributes, in call order */
  size_t nattrs, attrs_cap;
  struct node *nodes;
  size_t nnodes, nodes_cap;
  struct edge *edges;
  size_t nedges, edges_cap;
};

static void
style_free(struct owned_style *s)
{
  free(s->shape);
  free(s->color);
  free(s->fillcolor);
  free(s->fontcolor);
}

nn_graph *
nn_graph_alloc(const char *name)
{
  if (nn_spawn_check_stem("nn_graph_alloc", name) != GSL_SUCCESS)
    return NULL;
  nn_graph *g = calloc(1, sizeof *g);
  if (g == NULL)
    GSL_ERROR_NULL("nn_graph_alloc: out of memory", GSL_ENOMEM);
  g->name = strdup(name);
  if (g->name == NULL) {
    free(g);
    GSL_ERROR_NULL("nn_graph_alloc: out of memory", GSL_ENOMEM);
  }
  return g;
}

void
nn_graph_free(nn_graph *g)
{
  if (g == NULL)
    return;
  for (size_t i = 0; i < g->nattrs; i++) {
    free(g->attrs[i].key);
    free(g->attrs[i].value);
  }
  free(g->attrs);
  for (size_t i = 0; i < g->nnodes; i++) {
    free(g->nodes[i].id);
    free(g->nodes[i].label);
    style_free(&g->nodes[i].style);
  }
  free(g->nodes);
  for (size_t i = 0; i < g->nedges; i++) {
    free(g->edges[i].label);
    style_free(&g->edges[i].style);
  }
  free(g->edges);
  free(g->name);
  free(g);
}

/* Room for one more element in an array of element size `size`. */
static int
grow(void **array, size_t *cap, size_t count, size_t size)
{
  if (count < *cap)
    return 1;
  size_t n = *cap > 0 ? 2 * *cap : 16;
  void *a = realloc(*array, n * size);
  if (a == NULL)
    return 0;
  *array = a;
  *cap = n;
  return 1;
}

static char *
copy_or_null(const char *s, int *failed)
{
  if (s == NULL)
    return NULL;
  char *c = strdup(s);
  if (c == NULL)
    *failed = 1;
  return c;
}

/* Copy a caller's style (NULL: the default), checking what can be wrong. */
static int
style_copy(const char *who, const nn_graph_style *in, struct owned_style *out)
{
  memset(out, 0, sizeof *out);
  if (in == NULL)
    return GSL_SUCCESS;
  if (!isfinite(in->penwidth) || in->penwidth < 0.0) {
    char msg[256];
    snprintf(msg, sizeof msg, "%s: penwidth %g is not a line width (>= 0)",
             who, in->penwidth);
    GSL_ERROR(msg, GSL_EINVAL);
  }
  int failed = 0;
  out->shape = copy_or_null(in->shape, &failed);
  out->color = copy_or_null(in->color, &failed);
  out->fillcolor = copy_or_null(in->fillcolor, &failed);
  out->fontcolor = copy_or_null(in->fontcolor, &failed);
  out->penwidth = in->penwidth;
  out->rank = in->rank;
  out->has_rank = in->has_rank;
  if (failed) {
    style_free(out);
    char msg[256];
    snprintf(msg, sizeof msg, "%s: out of memory", who);
    GSL_ERROR(msg, GSL_ENOMEM);
  }
  return GSL_SUCCESS;
}

/* The index of node id, or nnodes when there is none. */
static size_t
find_node(const nn_graph *g, const char *id)
{
  for (size_t i = 0; i < g->nnodes; i++)
    if (strcmp(g->nodes[i].id, id) == 0)
      return i;
  return g->nnodes;
}

int
nn_graph_attr(nn_graph *g, const char *key, const char *value)
{
  char msg[512];
  if (g == NULL || key == NULL || value == NULL)
    GSL_ERROR("nn_graph_attr: the graph, key and value must not be NULL", GSL_EINVAL);
  /* A Graphviz attribute name: a letter or '_', then letters, digits, '_'. */
  int ok = key[0] != '\0' && (key[0] < '0' || key[0] > '9');
  for (const char *c = key; ok && *c != '\0'; c++)
    ok = (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z')
         || (*c >= '0' && *c <= '9') || *c == '_';
  if (!ok) {
    snprintf(msg, sizeof msg, "nn_graph_attr: '%.100s' is not an attribute name"
             " (graph %s)", key, g->name);
    GSL_ERROR(msg, GSL_EINVAL);
  }
  struct attr a = {strdup(key), strdup(value)};
  if (a.key == NULL || a.value == NULL
      || !grow((void **) &g->attrs, &g->attrs_cap, g->nattrs, sizeof *g->attrs)) {
    free(a.key);
    free(a.value);
    GSL_ERROR("nn_graph_attr: out of memory", GSL_ENOMEM);
  }
  g->attrs[g->nattrs++] = a;
  return GSL_SUCCESS;
}

int
nn_graph_node(nn_graph *g, const char *id, const char *label,
              const nn_graph_style *style)
{
  char msg[512];
  if (g == NULL)
    GSL_ERROR("nn_graph_node: the graph must not be NULL", GSL_EINVAL);
  if (id == NULL || id[0] == '\0') {
    snprintf(msg, sizeof msg, "nn_graph_node: a node needs a non-empty id"
             " (graph %s)", g->name);
    GSL_ERROR(msg, GSL_EINVAL);
  }
  if (find_node(g, id) < g->nnodes) {
    snprintf(msg, sizeof msg, "nn_graph_node: the node '%.200s' is already in"
             " graph %s", id, g->name);
    GSL_ERROR(msg, GSL_EINVAL);
  }
  struct node n;
  int status = style_copy("nn_graph_node", style, &n.style);
  if (status != GSL_SUCCESS)
    return status;
  n.id = strdup(id);
  n.label = strdup(label != NULL ? label : id);
  if (n.id == NULL || n.label == NULL
      || !grow((void **) &g->nodes, &g->nodes_cap, g->nnodes, sizeof *g->nodes)) {
    free(n.id);
    free(n.label);
    style_free(&n.style);
    GSL_ERROR("nn_graph_node: out of memory", GSL_ENOMEM);
  }
  g->nodes[g->nnodes++] = n;
  return GSL_SUCCESS;
}

int
nn_graph_edge(nn_graph *g, const char *from, const char *to,
              const char *label, const nn_graph_style *style)
{
  char msg[512];
  if (g == NULL)
    GSL_ERROR("nn_graph_edge: the graph must not be NULL", GSL_EINVAL);
  const char *ends[2] = {from, to};
  size_t index[2];
  for (int k = 0; k < 2; k++) {
    if (ends[k] == NULL || ends[k][0] == '\0') {
      snprintf(msg, sizeof msg, "nn_graph_edge: an edge needs non-empty node"
               " ids (graph %s)", g->name);
      GSL_ERROR(msg, GSL_EINVAL);
    }
    index[k] = find_node(g, ends[k]);
    if (index[k] == g->nnodes) {
      snprintf(msg, sizeof msg, "nn_graph_edge: no node '%.200s' in graph %s"
               " (add nodes before their edges)", ends[k], g->name);
      GSL_ERROR(msg, GSL_EINVAL);
    }
  }
  struct edge e = {index[0], index[1], NULL, {0}};
  int status = style_copy("nn_graph_edge", style, &e.style);
  if (status != GSL_SUCCESS)
    return status;
  int failed = 0;
  e.label = copy_or_null(label, &failed);
  if (failed || !grow((void **) &g->edges, &g->edges_cap, g->nedges, sizeof *g->edges)) {
    free(e.label);
    style_free(&e.style);
    GSL_ERROR("nn_graph_edge: out of memory", GSL_ENOMEM);
  }
  g->edges[g->nedges++] = e;
  return GSL_SUCCESS;
}

/* ===== Writing the dot language ===== */

/* s as a quoted dot string. Inside quotes the dot lexer knows one escape,
 * \" for a quote; in labels Graphviz then reads \\ as a backslash and \n
 * as a line break (centred). So: " -> \", \ -> \\, newline -> \n, and
 * other control characters become spaces. Identifiers are escaped the same
 * way, which keeps two different ids different. */
static void
put_quoted(FILE *f, const char *s)
{
  fputc('"', f);
  for (; *s != '\0'; s++) {
    unsigned char u = (unsigned char) *s;
    if (*s == '"' || *s == '\\') {
      fputc('\\', f);
      fputc(*s, f);
    } else if (*s == '\n') {
      fputs("\\n", f);
    } else if (u < 0x20 || u == 0x7f) {
      fputc(' ', f);
    } else {
      fputc(*s, f);
    }
  }
  fputc('"', f);
}

/* The attributes of a node or edge: [label="...", shape="...", ...]. */
static void
put_attributes(FILE *f, const char *label, const struct owned_style *s, int is_node)
{
  const char *sep = " [";
  if (label != NULL) {
    fprintf(f, "%slabel=", sep);
    put_quoted(f, label);
    sep = ", ";
  }
  const char *keys[] = {"shape", "color", "fillcolor", "fontcolor"};
  const char *values[] = {is_node ? s->shape : NULL, s->color,
                          is_node ? s->fillcolor : NULL, s->fontcolor};
  for (int k = 0; k < 4; k++) {
    if (values[k] == NULL)
      continue;
    fprintf(f, "%s%s=", sep, keys[k]);
    put_quoted(f, values[k]);
    sep = ", ";
  }
  if (is_node && s->fillcolor != NULL) {  /* a fill colour is only drawn when filled */
    fprintf(f, "%sstyle=filled", sep);
    sep = ", ";
  }
  if (s->penwidth > 0.0) {
    fprintf(f, "%spenwidth=%g", sep, s->penwidth);
    sep = ", ";
  }
  fputs(sep[0] == ',' ? "];\n" : ";\n", f);
}

static int
compare_int(const void *a, const void *b)
{
  int x = *(const int *) a, y = *(const int *) b;
  return (x > y) - (x < y);
}

/* Ranked nodes share a column: one { rank=same; ... } group per rank value,
 * in increasing order. rank=same only says "same column"; which column
 * comes first follows from the edges, so an invisible edge from each column
 * to the next keeps them in rank order even where no real edge does. */
static int
put_ranks(FILE *f, const nn_graph *g)
{
  size_t n = 0;
  for (size_t i = 0; i < g->nnodes; i++)
    n += g->nodes[i].style.has_rank && g->nodes[i].style.rank >= 0;
  if (n == 0)
    return GSL_SUCCESS;
  int *ranks = malloc(n * sizeof *ranks);
  if (ranks == NULL)
    GSL_ERROR("nn_graph_write: out of memory", GSL_ENOMEM);
  n = 0;
  for (size_t i = 0; i < g->nnodes; i++)
    if (g->nodes[i].style.has_rank && g->nodes[i].style.rank >= 0)
      ranks[n++] = g->nodes[i].style.rank;
  qsort(ranks, n, sizeof *ranks, compare_int);

  fputs("\n  // Columns: the nodes of one rank, left to right by rank.\n", f);
  const struct node *previous = NULL;  /* first node of the previous column */
  for (size_t r = 0; r < n; r++) {
    if (r > 0 && ranks[r] == ranks[r - 1])
      continue;  /* this rank has its group already */
    const struct node *first = NULL;
    fprintf(f, "  { rank=same;");
    for (size_t i = 0; i < g->nnodes; i++) {
      const struct node *nd = &g->nodes[i];
      if (nd->style.has_rank && nd->style.rank == ranks[r]) {
        fputc(' ', f);
        put_quoted(f, nd->id);
        fputc(';', f);
        if (first == NULL)
          first = nd;
      }
    }
    fprintf(f, " }  // rank %d\n", ranks[r]);
    if (previous != NULL) {
      fputs("  ", f);
      put_quoted(f, previous->id);
      fputs(" -> ", f);
      put_quoted(f, first->id);
      fputs(" [style=invis];\n", f);
    }
    previous = first;
  }
  free(ranks);
  return GSL_SUCCESS;
}

int
nn_graph_write(const nn_graph *g, const char *dir)
{
  char msg[1024];
  if (g == NULL || dir == NULL || dir[0] == '\0')
    GSL_ERROR("nn_graph_write: the graph and the folder must not be NULL or empty",
              GSL_EINVAL);
  char *path = nn_spawn_file_path(dir, g->name, "dot");
  if (path == NULL)
    GSL_ERROR("nn_graph_write: out of memory", GSL_ENOMEM);
  FILE *f = fopen(path, "we");
  if (f == NULL) {
    snprintf(msg, sizeof msg, "nn_graph_write: cannot write %s: %s", path,
             strerror(errno));
    free(path);
    GSL_ERROR(msg, GSL_EFAILED);
  }

  fprintf(f, "// %s.dot: the diagram %s, written by nncourse. Render it with\n"
          "//   dot -Tsvg %s.dot -o %s.svg\n",
          g->name, g->name, g->name, g->name);
  fputs("digraph ", f);
  put_quoted(f, g->name);
  fputs(" {\n", f);
  /* The house style: left to right, a clean sans-serif font, dark grey lines. */
  fputs("  graph [rankdir=LR, fontname=\"Helvetica\", fontsize=18, labelloc=t,"
        " nodesep=0.3, ranksep=0.7, pad=0.2, bgcolor=\"white\"];\n"
        "  node [fontname=\"Helvetica\", fontsize=14, color=\"#333333\","
        " penwidth=1.2];\n"
        "  edge [fontname=\"Helvetica\", fontsize=12, color=\"#555555\","
        " fontcolor=\"#333333\", arrowsize=0.8];\n", f);
  for (size_t i = 0; i < g->nattrs; i++) {
    fprintf(f, "  graph [%s=", g->attrs[i].key);
    put_quoted(f, g->attrs[i].value);
    fputs("];\n", f);
  }
  if (g->nnodes > 0)
    fputs("\n", f);
  for (size_t i = 0; i < g->nnodes; i++) {
    fputs("  ", f);
    put_quoted(f, g->nodes[i].id);
    put_attributes(f, g->nodes[i].label, &g->nodes[i].style, 1);
  }
  int status = put_ranks(f, g);
  if (g->nedges > 0)
    fputs("\n", f);
  for (size_t i = 0; i < g->nedges; i++) {
    const struct edge *e = &g->edges[i];
    fputs("  ", f);
    put_quoted(f, g->nodes[e->from].id);
    fputs(" -> ", f);
    put_quoted(f, g->nodes[e->to].id);
    put_attributes(f, e->label, &e->style, 0);
  }
  fputs("}\n", f);

  int bad = ferror(f);
  int e = errno;
  if (fclose(f) != 0 && !bad) {
    bad = 1;
    e = errno;
  }
  if (bad) {
    snprintf(msg, sizeof msg, "nn_graph_write: cannot write %s: %s", path, strerror(e));
    free(path);
    GSL_ERROR(msg, GSL_EFAILED);
  }
  free(path);
  return status;
}

/* ===== Rendering =====
 *
 * dot runs in the folder of the .dot file, with file names relative to it:
 *
 *   dot -Tsvg -o NAME.svg NAME.dot
 *
 * A PNG is drawn at 144 dots per inch (Graphviz's default is 96), sharp
 * enough for a projector.
 */

int
nn_graph_render(const nn_graph *g, const char *dir, const char *format)
{
  char msg[1024];
  if (g == NULL || dir == NULL || dir[0] == '\0')
    GSL_ERROR("nn_graph_render: the graph and the folder must not be NULL or empty",
              GSL_EINVAL);
  int png;
  if (format != NULL && strcmp(format, "svg") == 0)
    png = 0;
  else if (format != NULL && strcmp(format, "png") == 0)
    png = 1;
  else {
    snprintf(msg, sizeof msg, "nn_graph_render: the format must be \"svg\" or"
             " \"png\", not \"%.40s\" (graph %s)", format != NULL ? format : "(null)",
             g->name);
    GSL_ERROR(msg, GSL_EINVAL);
  }

  char *dot_path = nn_spawn_file_path(dir, g->name, "dot");
  char *out_path = nn_spawn_file_path(dir, g->name, format);
  size_t len = strlen(g->name) + 8;
  char *dot_file = malloc(len), *out_file = malloc(len);
  if (dot_path == NULL || out_path == NULL || dot_file == NULL || out_file == NULL) {
    free(dot_path);
    free(out_path);
    free(dot_file);
    free(out_file);
    GSL_ERROR("nn_graph_render: out of memory", GSL_ENOMEM);
  }
  snprintf(dot_file, len, "%s.dot", g->name);
  snprintf(out_file, len, "%s.%s", g->name, format);

  int status = GSL_SUCCESS;
  if (access(dot_path, R_OK) != 0) {
    snprintf(msg, sizeof msg, "nn_graph_render: cannot read %s (%s): call"
             " nn_graph_write() first", dot_path, strerror(errno));
    gsl_error(msg, __FILE__, __LINE__, GSL_EINVAL);  /* report; clean up below */
    status = GSL_EINVAL;
  } else {
    const char *svg_args[] = {"-Tsvg", "-o", out_file, dot_file, NULL};
    const char *png_args[] = {"-Tpng", "-Gdpi=144", "-o", out_file, dot_file, NULL};
    const char *const *args = png ? png_args : svg_args;
    status = nn_spawn_run("nn_graph_render", &dot_program, dir, dot_path, args, NULL);
    struct stat st;
    if (status == GSL_SUCCESS && (stat(out_path, &st) != 0 || st.st_size == 0)) {
      snprintf(msg, sizeof msg, "nn_graph_render: dot ran but %s is missing or"
               " empty", out_path);
      gsl_error(msg, __FILE__, __LINE__, GSL_EFAILED);
      status = GSL_EFAILED;
    }
  }
  free(dot_path);
  free(out_path);
  free(dot_file);
  free(out_file);
  return status;
}

int
nn_graph_dot_available(void)
{
  return nn_spawn_available(&dot_program);
}
