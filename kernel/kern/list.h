/*
 * list.h - intrusive doubly-linked lists (like BSD's TAILQ, as functions).
 *
 * A struct that can be on a list embeds a `struct list_node`; the list head
 * is a `struct list` whose node points at itself when empty.  Use
 * container_of() (or list_entry()) to get from a node back to its struct.
 * Insertion and removal are O(1) and never allocate.
 */
#ifndef KERN_LIST_H
#define KERN_LIST_H

#include <stdbool.h>
#include <stddef.h>

struct list_node {
	struct list_node *next, *prev;
};

struct list {
	struct list_node head;
};

#define LIST_INIT(l) { { &(l).head, &(l).head } }
#define list_entry(node, type, member) ((type *)((char *)(node) - offsetof(type, member)))
#define list_foreach(l, n) \
	for (struct list_node *n = (l)->head.next; n != &(l)->head; n = n->next)
#define list_foreach_safe(l, n, tmp) \
	for (struct list_node *n = (l)->head.next, *tmp = n->next; n != &(l)->head; n = tmp, tmp = n->next)

static inline void list_init(struct list *l) { l->head.next = l->head.prev = &l->head; }
static inline bool list_empty(const struct list *l) { return l->head.next == &l->head; }
static inline void list_node_init(struct list_node *n) { n->next = n->prev = NULL; }
static inline bool list_node_linked(const struct list_node *n) { return n->next != NULL; }

static inline void list_insert_after(struct list_node *pos, struct list_node *n)
{
	n->prev = pos;
	n->next = pos->next;
	pos->next->prev = n;
	pos->next = n;
}

static inline void list_push_front(struct list *l, struct list_node *n) { list_insert_after(&l->head, n); }
static inline void list_push_back(struct list *l, struct list_node *n) { list_insert_after(l->head.prev, n); }

static inline void list_remove(struct list_node *n)
{
	n->prev->next = n->next;
	n->next->prev = n->prev;
	n->next = n->prev = NULL;
}

static inline struct list_node *list_first(const struct list *l) { return list_empty(l) ? NULL : l->head.next; }
static inline struct list_node *list_last(const struct list *l) { return list_empty(l) ? NULL : l->head.prev; }

static inline struct list_node *list_pop_front(struct list *l)
{
	struct list_node *n = list_first(l);
	if (n)
		list_remove(n);
	return n;
}

#endif
