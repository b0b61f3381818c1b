"""weimin (为民): operations platform of a district's government service halls."""
