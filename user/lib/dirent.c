/*
 * dirent.c - reading directories with opendir/readdir/closedir.
 *
 * A DIR holds the directory's descriptor and a buffer of raw records from
 * getdents64() (struct linux_dirent64, variable length).  readdir() steps
 * through the buffer, refilling it when empty, and copies each record
 * into a fixed-size struct dirent it returns (valid until the next call).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct __dirstream {
	int fd;
	size_t pos;             /* next record in buf */
	size_t len;             /* bytes of records in buf */
	struct dirent entry;    /* what readdir() returns */
	char buf[4096] __attribute__((aligned(8)));
};

DIR *fdopendir(int fd)
{
	DIR *d = malloc(sizeof(*d));

	if (d == NULL)
		return NULL;
	d->fd = fd;
	d->pos = d->len = 0;
	return d;
}

DIR *opendir(const char *path)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *d;

	if (fd < 0)
		return NULL;
	d = fdopendir(fd);
	if (d == NULL) {
		int saved = errno;
		close(fd);
		errno = saved;
	}
	return d;
}

/* NULL at the end of the directory (errno unchanged) or on error (errno set). */
struct dirent *readdir(DIR *d)
{
	struct linux_dirent64 *rec;
	size_t namelen;

	if (d->pos >= d->len) {
		ssize_t n = getdents64(d->fd, d->buf, sizeof(d->buf));
		if (n <= 0)
			return NULL;
		d->len = (size_t)n;
		d->pos = 0;
	}
	rec = (struct linux_dirent64 *)(d->buf + d->pos);
	if (rec->d_reclen == 0 || d->pos + rec->d_reclen > d->len) {
		d->pos = d->len;                /* a broken record: stop here */
		errno = EIO;
		return NULL;
	}
	d->pos += rec->d_reclen;
	d->entry.d_ino = rec->d_ino;
	d->entry.d_off = rec->d_off;
	d->entry.d_reclen = rec->d_reclen;
	d->entry.d_type = rec->d_type;
	namelen = strnlen(rec->d_name, sizeof(d->entry.d_name) - 1);
	memcpy(d->entry.d_name, rec->d_name, namelen);
	d->entry.d_name[namelen] = '\0';
	return &d->entry;
}

int closedir(DIR *d)
{
	int ret = close(d->fd);

	free(d);
	return ret;
}

void rewinddir(DIR *d)
{
	lseek(d->fd, 0, SEEK_SET);
	d->pos = d->len = 0;
}

int dirfd(DIR *d)
{
	return d->fd;
}
