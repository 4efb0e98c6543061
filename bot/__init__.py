"""The Peterborough care leavers' local offer: offer data, eligibility rules, places and the PA check."""
