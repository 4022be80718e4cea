#!/usr/bin/env python3
"""Write output/holistic-selective/result-PA01/handmade/samples.jsonl.

Each completion is derived from the Solution's class text by a small, asserted edit, so the intent of
every sample is visible here (see README.md for the table of intents and expected records).
Exactly 3 samples per task, grouped by task in dataset order (k = 0, 1, 2).
"""
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))
SOL = os.path.join(HERE, "projects", "PA01-Solution", "src", "main", "java")
OUT = os.path.join(HERE, "output", "holistic-selective", "result-PA01", "handmade", "samples.jsonl")


def sol(target):
    with open(os.path.join(SOL, target), encoding="utf-8") as fp:
        return fp.read()


def edit(text, old, new):
    assert text.count(old) == 1, (old, text.count(old))
    return text.replace(old, new)


def fence(code, before="", after=""):
    return before + "```java\n" + code + "```\n" + after


ITEM, BOOK, DVD, MAG = (f"library/model/{n}.java" for n in ("Item", "Book", "Dvd", "Magazine"))
MEMBER = "library/model/Member.java"
LOAN, CATALOG, LIBRARY = (f"library/service/{n}.java" for n in ("Loan", "Catalog", "Library"))


def samples():
    s = {}
    item = sol(ITEM)
    s[ITEM] = [
        # k0: correct, prose around the fence
        fence(item, "Here is the completed class:\n\n", "\nThe constructor validates every argument.\n"),
        # k1: logic bug, the late fee is not capped at the replacement cost
        fence(edit(item, "return Math.min(daysLate * dailyFine(), replacementCost());",
                   "return daysLate * dailyFine();")),
        # k2: correct, different package and imports (ignored by the splice)
        fence(edit(item, "package library.model;\n\nimport java.util.Locale;\n",
                   "package com.example.lib;\n\nimport java.util.*;\n")),
    ]
    book = sol(BOOK)
    s[BOOK] = [
        fence(book),  # k0: correct
        # k1: compile error, a method the tests call is renamed
        fence(edit(book, "public String getAuthor() {", "public String getWriter() {")),
        fence(book, "Sure! ", "Let me know if you need anything else."),  # k2: correct
    ]
    dvd = sol(DVD)
    s[DVD] = [
        # k0: lazy, dailyFine keeps the skeleton's TODO body
        fence(edit(dvd, "    public double dailyFine() {\n        return 1.0;\n    }",
                   "    public double dailyFine() {\n        // TODO\n        return 0;\n    }")),
        fence(dvd),  # k1: correct
        # k2: isFeature spins forever, ignoring interruption (only DvdTest.featureLength calls it)
        fence(edit(edit(dvd, "    public boolean isFeature() {\n        return minutes >= 60;\n    }",
                        "    public boolean isFeature() {\n        while (true) {\n            spins++;\n        }\n    }"),
                   "    private final int minutes;\n",
                   "    private final int minutes;\n    private static volatile long spins;\n")),
    ]
    mag = sol(MAG)
    s[MAG] = [
        # k0: needs an extra import that the splice drops -> compile error
        fence(edit(mag, "        return getTitle() + \" #\" + issue;",
                   "        return String.format(Locale.ROOT, \"%s #%d\", getTitle(), issue);").replace(
                       "package library.model;\n", "package library.model;\n\nimport java.util.Locale;\n")),
        # k1: logic bug, wrong replacement cost (CatalogTest.totalReplacementCost fails)
        fence(edit(mag, "        return 4.0;", "        return 40.0;")),
        # k2: not replaceable, the fence holds a bare method without the word "public"
        fence("@Override\ndouble replacementCost() {\n    return 4.0;\n}\n",
              "Only replacementCost needed a change:\n\n"),
    ]
    member = sol(MEMBER)
    s[MEMBER] = [
        fence(member, "", "\nThis class implements Searchable.\n"),  # k0: correct
        # k1: logic bug, off by one in canBorrow
        fence(edit(member, "return currentLoans < maxLoans;", "return currentLoans <= maxLoans;")),
        # k2: lazy, matches keeps a TODO and grows by 9 characters only (< 10)
        fence(edit(member, """        if (query == null || query.isBlank()) {
            return false;
        }
        String q = query.strip();
        return id.equals(q) || name.toLowerCase(Locale.ROOT).contains(q.toLowerCase(Locale.ROOT));""",
                   """        // TODO: match on the name
        return name.isEmpty();""")),
    ]
    loan = sol(LOAN)
    s[LOAN] = [
        # k0: not replaceable, the fence tag is "Java", not "java"
        "```Java\n" + loan + "```\n",
        # k1: logic bug, due day one day early
        fence(edit(loan, "return startDay + item.loanPeriodDays();", "return startDay + item.loanPeriodDays() - 1;")),
        # k2: correct, followed by a second java fence (only the first one counts)
        fence(loan, "", "\nUsage:\n\n```java\nLoan loan = new Loan(book, member, 0);\n```\n"),
    ]
    catalog = sol(CATALOG)
    s[CATALOG] = [
        fence(catalog, "The catalog keeps insertion order:\n\n",
              "\n```java\nCatalog c = new Catalog();\n```\n"),  # k0: correct
        # k1: compile error, wrong return type of search (the tests assign it to a List<Item>)
        fence(edit(edit(catalog, "public List<Item> search(String query) {", "public Item[] search(String query) {"),
                   "return found;", "return found.toArray(new Item[0]);")),
        fence(catalog),  # k2: correct
    ]
    library = sol(LIBRARY)
    s[LIBRARY] = [
        # k0: logic bug, fines are not recorded (LibraryTest.returnItemChargesLateFees fails)
        fence(edit(library, "        collectedFines += fee;\n", "")),
        fence(library),  # k1: correct
        # k2: correct, wildcard imports, a TODO comment in a fully implemented (long) body, prose after
        fence(edit(edit(library, """import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import library.model.Item;
import library.model.Member;
""", "import java.util.*;\nimport library.model.*;\n"),
                   "        List<Loan> overdue = new ArrayList<>();\n",
                   "        // TODO: index the loans by due day if this gets slow\n"
                   "        List<Loan> overdue = new ArrayList<>();\n"),
              "", "All methods are implemented."),
    ]
    return s


def main():
    s = samples()
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "wb") as fp:
        for target, completions in s.items():
            assert len(completions) == 3
            for c in completions:
                row = {"task_id": "PA01/" + os.path.basename(target), "target": target,
                       "prompt": "", "completion": c}
                fp.write((json.dumps(row) + "\n").encode("utf-8"))


if __name__ == "__main__":
    main()
