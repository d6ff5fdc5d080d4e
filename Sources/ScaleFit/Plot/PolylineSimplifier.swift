/// Ramer–Douglas–Peucker simplification of a polyline in screen space: keeps the points
/// that lie farther than `tolerance` px from the chord of their section, so a curve of
/// 10⁵ logged steps draws with the same look and a few hundred vertices.
enum PolylineSimplifier {
    static func simplify(_ points: [(x: Double, y: Double)], tolerance: Double) -> [(x: Double, y: Double)] {
        guard points.count > 2 else { return points }
        var keep = [Bool](repeating: false, count: points.count)
        keep[0] = true
        keep[points.count - 1] = true
        var stack: [(Int, Int)] = [(0, points.count - 1)]
        let t2 = tolerance * tolerance
        while let (a, b) = stack.popLast() {
            guard b > a + 1 else { continue }
            let p = points[a], q = points[b]
            let dx = q.x - p.x, dy = q.y - p.y
            let length2 = dx * dx + dy * dy
            var worst = -1.0, index = a
            for i in (a + 1)..<b {
                let r = points[i]
                // Distance to the segment (not the line), so back-tracking points are kept.
                let t = length2 == 0 ? 0 : min(1, max(0, (dx * (r.x - p.x) + dy * (r.y - p.y)) / length2))
                let ex = r.x - (p.x + t * dx), ey = r.y - (p.y + t * dy)
                let d2 = ex * ex + ey * ey
                if d2 > worst { worst = d2; index = i }
            }
            if worst > t2 {
                keep[index] = true
                stack.append((a, index))
                stack.append((index, b))
            }
        }
        return points.indices.filter { keep[$0] }.map { points[$0] }
    }
}
