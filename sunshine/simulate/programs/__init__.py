"""The benefit programs: each builds its system's records and the payments they show.

One module per system (or per kind of money through a shared system): background
records first, then the planted irregularities and their look-alikes.
"""
