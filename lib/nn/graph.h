/* SPDX-License-Identifier: GPL-3.0-or-later */
/* nn/graph.h: diagrams for Graphviz.
 *
 * A directed graph of labelled nodes and edges, written as DIR/NAME.dot and
 * rendered by the dot program to DIR/NAME.svg. Nodes are drawn left to right
 * (rankdir=LR); nodes given the same rank (>= 0) share one column, so a
 * network draws as its layers and a computation graph as its steps.
 *
 * Legal call order:
 *
 *   g = nn_graph_alloc(name);
 *   nn_graph_node(g, ...);  nn_graph_edge(g, ...);   nodes before their edges
 *   nn_graph_write(g, dir);                           DIR/NAME.dot
 *   nn_graph_render(g, dir, "svg");                   DIR/NAME.svg (needs dot)
 *   nn_graph_free(g);
 *
 * Identifiers and labels are plain text; this module quotes them for the dot
 * language ('\n' in a label starts a new line). Colours are Graphviz colour
 * names or "#rrggbb".
 *
 * The dot program is NN_DOT from the environment when set, else the one
 * configure found; when it is missing, nn_graph_render() returns GSL_EUNSUP
 * (the .dot file is already written) and nn_graph_dot_available() says 0.
 * Errors: GSL_EINVAL for a duplicate node, an edge to an unknown node or an
 * empty identifier (the message names it), and for rendering before
 * nn_graph_write(); GSL_EFAILED for files that cannot be written (path and
 * reason) and when dot fails (its exit status and first lines of stderr).
 */
#ifndef NN_GRAPH_H
#define NN_GRAPH_H

typedef struct nn_graph nn_graph;

/* How a node or an edge looks. A zero-initialised style is the default:
 * NULL strings and 0 numbers leave the attribute to Graphviz. */
typedef struct nn_graph_style {
  const char *shape;      /* nodes only: "circle", "box", "record", ... */
  const char *color;      /* outline or edge colour */
  const char *fillcolor;  /* nodes only: the fill (sets style=filled) */
  const char *fontcolor;  /* label colour */
  double penwidth;        /* line width; 0: default */
  int rank;               /* nodes only: column index; < 0 or 0 with no ranks used: free */
  int has_rank;           /* nodes only: 1 when rank is meaningful */
} nn_graph_style;

/* A new, empty graph named NAME (a plain file stem, as in nn/plot.h). */
nn_graph *nn_graph_alloc(const char *name);

/* Accepts NULL. */
void nn_graph_free(nn_graph *g);

/* A graph-level attribute, e.g. ("label", "A neuron") or ("fontsize", "18"). */
int nn_graph_attr(nn_graph *g, const char *key, const char *value);

/* Add node ID with LABEL (NULL: the id). style may be NULL. */
int nn_graph_node(nn_graph *g, const char *id, const char *label,
                  const nn_graph_style *style);

/* Add an edge FROM -> TO with an optional LABEL. style may be NULL. */
int nn_graph_edge(nn_graph *g, const char *from, const char *to,
                  const char *label, const nn_graph_style *style);

/* Write DIR/NAME.dot. */
int nn_graph_write(const nn_graph *g, const char *dir);

/* Render DIR/NAME.dot (written by nn_graph_write) to DIR/NAME.<format>,
 * format "svg" or "png". */
int nn_graph_render(const nn_graph *g, const char *dir, const char *format);

/* 1 when the dot program can be run, 0 when not. */
int nn_graph_dot_available(void);

#endif /* NN_GRAPH_H */
