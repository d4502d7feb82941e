#!/usr/bin/env python3
"""Rewrap runs of full-line // comments to 90 columns (a tab counts 4), as spring-javaformat wraps them.

spring-javaformat breaks a // comment longer than 90 columns but never joins the pieces back, which leaves
ragged comments (a long line, a short one). Run this first, on the files to format:

    python3 scripts/wrap-line-comments.py $(git ls-files '*.java') && mvn -B spring-javaformat:apply

A run of comment lines at one indentation is rewrapped as one paragraph, only when one of its lines is longer than
90 columns, and left alone when it looks laid out by hand (list items, aligned columns, code). Runs whose lines fit in
90 columns are left as they are, so a second run changes nothing.
"""
import re
import sys

WIDTH = 90
LINE = re.compile(r'^(\s*)// (\S.*)$')


def columns(text):
    return len(text.expandtabs(4))


def laid_out(texts):
    for t in texts:
        if re.match(r'^([-*+]|\d+[.)])\s', t) or '  ' in t or t.rstrip().endswith(('{', '}', ';')):
            return True
    return False


def rewrap(indent, texts):
    words = ' '.join(t.strip() for t in texts).split(' ')
    lines, current = [], ''
    for word in words:
        candidate = (current + ' ' + word) if current else word
        if current and columns(indent + '// ' + candidate) > WIDTH:
            lines.append(current)
            current = word
        else:
            current = candidate
    lines.append(current)
    return [indent + '// ' + line for line in lines]


def process(path):
    with open(path, encoding='utf-8') as f:
        source = f.read().split('\n')
    out, i, changed = [], 0, False
    while i < len(source):
        m = LINE.match(source[i])
        if not m:
            out.append(source[i])
            i += 1
            continue
        indent, run = m.group(1), []
        while i < len(source):
            m = LINE.match(source[i])
            if not m or m.group(1) != indent:
                break
            run.append(m.group(2))
            i += 1
        original = [indent + '// ' + t for t in run]
        if any(columns(l) > WIDTH for l in original) and not laid_out(run):
            wrapped = rewrap(indent, run)
            changed |= wrapped != original
            out.extend(wrapped)
        else:
            out.extend(original)
    if changed:
        with open(path, 'w', encoding='utf-8') as f:
            f.write('\n'.join(out))
    return changed


if __name__ == '__main__':
    count = sum(process(p) for p in sys.argv[1:])
    print(f'{count} file(s) rewrapped')
