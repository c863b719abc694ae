class Coord:
    def __init__(self, lat: float, lon: float) -> None:
        self.lat, self.lon = lat, lon

    def __eq__(self, other):
        if not isinstance(other, Coord):
            return NotImplemented
        return (self.lat, self.lon) == (other.lat, other.lon)

    def __hash__(self):
        return hash((self.lat, self.lon))

    def __repr__(self):
        return f"Coord({self.lat}, {self.lon})"


places = {Coord(1.0, 2.0): "home", Coord(3.5, 4.5): "work"}
print(places[Coord(1.0, 2.0)])
print(len({Coord(0, 0), Coord(0, 0), Coord(0, 1)}))
print(Coord(1, 2) == (1, 2), Coord(1, 2) != Coord(1, 3))
