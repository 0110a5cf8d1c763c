"""Customer satisfaction, defined once for the suite's reports and measures."""

#: a rating (1 to 5 stars) from which the customer counts as satisfied (CSAT: the share of 4- and
#: 5-star ratings, the usual top-two-box definition)
SATISFIED_RATING = 4
