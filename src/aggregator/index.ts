console.log('agg')
