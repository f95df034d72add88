"""A small deck every Anki-export test starts from (not a test module): a basic card
with an image and tags, a reverse card, two clozes and a multiple-choice question."""

MODELING = """---
title: Modeling
---

# Trees

## XGBoost eta {#k3f9q2}
What happens when you lower `eta`?
?
Each tree adds less. See [[Early stopping]].

![diagram](img/trees ü.png)

Tags: xgboost, aws::ml

## Chat {#rev001 .reverse}
cat

## Precision {#p8d2m1}
Precision = {{TP / (TP + FP)}}; recall = {{c2::TP / (TP + FN)::formula}}.

## Metric for rare fraud {#q1w2e3}
Which metric should you watch?
- [ ] Accuracy
- [x] Area under the precision-recall curve
- [ ] Mean squared error
?
Accuracy is 99.9% for a model that flags nothing.
"""
